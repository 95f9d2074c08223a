<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>BackingFileDialog</name>
        <message>
            <source>Allow a File Outside the VM Folder?</source>
            <translation>允许使用虚拟机文件夹之外的文件吗？</translation>
        </message>
        <message>
            <source>The disk &lt;b&gt;%1&lt;/b&gt; of &lt;b&gt;%2&lt;/b&gt; builds on another file, its backing file:</source>
            <translation>&lt;b&gt;%2&lt;/b&gt; 的磁盘 &lt;b&gt;%1&lt;/b&gt; 建立在另一个文件（它的后备文件）之上：</translation>
        </message>
        <message>
            <source>The disk &lt;b&gt;%1&lt;/b&gt; of &lt;b&gt;%2&lt;/b&gt; builds on &lt;b&gt;%3&lt;/b&gt;, which builds on another file:</source>
            <translation>&lt;b&gt;%2&lt;/b&gt; 的磁盘 &lt;b&gt;%1&lt;/b&gt; 建立在 &lt;b&gt;%3&lt;/b&gt; 之上，而后者又建立在另一个文件之上：</translation>
        </message>
        <message>
            <source>The image names it as &lt;tt&gt;%1&lt;/tt&gt;.</source>
            <translation>映像中记录的名称是 &lt;tt&gt;%1&lt;/tt&gt;。</translation>
        </message>
        <message>
            <source>This file lies outside the VM's folder. A disk image downloaded or copied from elsewhere can name any file on this computer this way — your documents, your keys — and the VM could then read it. Allow it only if you know that this file belongs to the disk, for example because the disk was made from it.</source>
            <translation>该文件位于虚拟机文件夹之外。从别处下载或复制来的磁盘映像可以用这种方式指定这台计算机上的任何文件——您的文档、您的密钥——然后虚拟机就能读取它。只有在您确定该文件属于这个磁盘时（例如磁盘就是基于它制作的）才允许。</translation>
        </message>
        <message>
            <source>Allow This File</source>
            <translation>允许此文件</translation>
        </message>
    </context>
    <context>
        <name>DiskListEditor</name>
        <message>
            <source>Add New Disk…</source>
            <translation>添加新磁盘…</translation>
        </message>
        <message>
            <source>Attach Image…</source>
            <translation>挂载映像…</translation>
        </message>
        <message>
            <source>Remove…</source>
            <translation>移除…</translation>
        </message>
        <message>
            <source>new, %1</source>
            <translation>新建，%1</translation>
        </message>
        <message>
            <source>cannot be read</source>
            <translation>无法读取</translation>
        </message>
        <message>
            <source>%1 — %2, %3</source>
            <translation>%1 — %2，%3</translation>
        </message>
        <message>
            <source>No disk: the VM runs from its kernel, initrd or CD</source>
            <translation>没有磁盘：虚拟机从内核、initrd 或光盘运行</translation>
        </message>
        <message>
            <source>%1 is already a disk of this VM.</source>
            <translation>%1 已经是此虚拟机的磁盘。</translation>
        </message>
        <message>
            <source>Add a New Disk</source>
            <translation>添加新磁盘</translation>
        </message>
        <message>
            <source>Maximum size in GiB (the file starts small and grows as the VM writes to it):</source>
            <translation>最大容量（GiB）（文件起初很小，随着虚拟机写入数据而增长）：</translation>
        </message>
        <message>
            <source>Attach a Disk Image</source>
            <translation>挂载磁盘映像</translation>
        </message>
        <message>
            <source>Disk images (*.qcow2 *.img *.raw);;All files (*)</source>
            <translation>磁盘映像 (*.qcow2 *.img *.raw);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Remove %1?</source>
            <translation>移除 %1？</translation>
        </message>
        <message>
            <source>Remove the disk %1 from this VM. Keep its file, or delete it and everything on it?</source>
            <translation>将磁盘 %1 从此虚拟机中移除。保留其文件，还是删除文件及其中的所有内容？</translation>
        </message>
        <message>
            <source>Keep the File</source>
            <translation>保留文件</translation>
        </message>
        <message>
            <source>Delete the File</source>
            <translation>删除文件</translation>
        </message>
        <message>
            <source>Nothing happens until you save the settings.</source>
            <translation>保存设置之前不会有任何更改。</translation>
        </message>
    </context>
    <context>
        <name>DiskPage</name>
        <message>
            <source>Disk</source>
            <translation>磁盘</translation>
        </message>
        <message>
            <source>The system is installed onto a virtual disk, a single file in the VM's folder.</source>
            <translation>系统将安装到虚拟磁盘上，它是虚拟机文件夹中的一个文件。</translation>
        </message>
        <message>
            <source>Create a new disk</source>
            <translation>创建新磁盘</translation>
        </message>
        <message>
            <source>No disk (the system runs from memory or the CD)</source>
            <translation>不使用磁盘（系统从内存或光盘运行）</translation>
        </message>
        <message>
            <source> GiB</source>
            <translation> GiB</translation>
        </message>
        <message>
            <source>Maximum size:</source>
            <translation>最大容量：</translation>
        </message>
        <message>
            <source>The disk file starts small and grows as the system writes to it (qcow2). %1 free where VMs are stored.</source>
            <translation>磁盘文件起初很小，随着系统写入数据而增长（qcow2 格式）。虚拟机存放位置还有 %1 可用空间。</translation>
        </message>
    </context>
    <context>
        <name>DownloadJob</name>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>无法写入 %1：%2</translation>
        </message>
        <message>
            <source>The server sent a different part of the file than asked for. Try again later.</source>
            <translation>服务器返回的文件片段与请求的不一致。请稍后再试。</translation>
        </message>
        <message>
            <source>Download stopped. It continues from here when you resume.</source>
            <translation>下载已暂停。继续时将从此处接着下载。</translation>
        </message>
        <message>
            <source>the server answered %1 %2</source>
            <translation>服务器返回 %1 %2</translation>
        </message>
        <message>
            <source>The download failed: %1. Check the address and your connection; you can resume it.</source>
            <translation>下载失败：%1。请检查地址和网络连接；您可以继续下载。</translation>
        </message>
        <message>
            <source>The connection was lost after %1 of %2 bytes. You can resume the download.</source>
            <translation>已下载 %1 / %2 字节时连接中断。您可以继续下载。</translation>
        </message>
        <message>
            <source>The downloaded file does not match the SHA-256 checksum you entered, so it was deleted. It may be damaged, or the checksum belongs to another file.
Expected: %1
Received: %2</source>
            <translation>下载的文件与您输入的 SHA-256 校验值不符，已被删除。文件可能已损坏，或者该校验值属于另一个文件。
期望值：%1
实际值：%2</translation>
        </message>
        <message>
            <source>Cannot rename the download to %1: %2</source>
            <translation>无法将下载的文件重命名为 %1：%2</translation>
        </message>
    </context>
    <context>
        <name>DownloadPage</name>
        <message>
            <source>Downloading</source>
            <translation>正在下载</translation>
        </message>
        <message>
            <source>The file is saved into the virtual machine's folder. You can stop and resume the download.</source>
            <translation>文件将保存到虚拟机的文件夹中。您可以暂停并继续下载。</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>暂停</translation>
        </message>
        <message>
            <source>%1 of %2%3</source>
            <translation>%1 / %2%3</translation>
        </message>
        <message>
            <source> (resumed)</source>
            <translation>（已续传）</translation>
        </message>
        <message>
            <source>%1 so far</source>
            <translation>已下载 %1</translation>
        </message>
        <message>
            <source>Download complete: %1</source>
            <translation>下载完成：%1</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>正在连接…</translation>
        </message>
    </context>
    <context>
        <name>ExposureConfirmation</name>
        <message>
            <source>%1 port %2 on %3 → guest port %4</source>
            <translation>%1 端口 %2（%3）→ 虚拟机端口 %4</translation>
        </message>
        <message>
            <source>Let other computers connect?</source>
            <translation>允许其他计算机连接？</translation>
        </message>
        <message>
            <source>These ports will be reachable from other machines on your network (and from the internet, if it can reach this computer), not only from this computer:</source>
            <translation>以下端口将不仅可从本机访问，还可从网络中的其他计算机访问（如果互联网能访问到本机，也可从互联网访问）：</translation>
        </message>
        <message>
            <source>Anyone who can connect reaches the service in the VM. Use 127.0.0.1 if only this computer needs it.</source>
            <translation>任何能连接的人都可以访问虚拟机中的服务。如果只有本机需要访问，请使用 127.0.0.1。</translation>
        </message>
        <message>
            <source>Allow Other Computers</source>
            <translation>允许其他计算机</translation>
        </message>
    </context>
    <context>
        <name>FramebufferView</name>
        <message>
            <source>VM screen</source>
            <translation>虚拟机屏幕</translation>
        </message>
        <message>
            <source>The guest has not turned on its display yet.
Its messages may appear in the Serial Console tab.</source>
            <translation>客户机尚未打开显示器。
它的消息可能显示在“串口控制台”标签页中。</translation>
        </message>
        <message>
            <source>Press Ctrl+Alt+G to release the keyboard</source>
            <translation>按 Ctrl+Alt+G 释放键盘</translation>
        </message>
        <message>
            <source>The VM is not running.</source>
            <translation>虚拟机未在运行。</translation>
        </message>
        <message>
            <source>Paused — Resume to continue. Keys typed now do not reach the VM.</source>
            <translation>已暂停 — 点击“继续”恢复运行。现在输入的按键不会发送到虚拟机。</translation>
        </message>
    </context>
    <context>
        <name>HardwarePage</name>
        <message>
            <source>Processor and memory</source>
            <translation>处理器和内存</translation>
        </message>
        <message>
            <source>Tessera emulates the processor the system was built for, whatever this computer has.</source>
            <translation>无论本机使用何种处理器，Tessera 都会模拟系统所需的处理器。</translation>
        </message>
        <message>
            <source> MiB</source>
            <translation> MiB</translation>
        </message>
        <message>
            <source>This computer has %1. Most Linux systems need 512 MiB–2 GiB; installers like 1 GiB or more.</source>
            <translation>本机内存为 %1。大多数 Linux 系统需要 512 MiB–2 GiB；安装程序最好有 1 GiB 或更多。</translation>
        </message>
        <message numerus="yes">
            <source>up to %n on this computer</source>
            <translation>
                <numerusform>本机最多 %n 个</numerusform>
            </translation>
        </message>
        <message>
            <source>Architecture:</source>
            <translation>架构：</translation>
        </message>
        <message>
            <source>Memory:</source>
            <translation>内存：</translation>
        </message>
        <message>
            <source>CPUs:</source>
            <translation>CPU 数量：</translation>
        </message>
        <message>
            <source>Detected from the file: %1.</source>
            <translation>根据文件内容识别：%1。</translation>
        </message>
        <message>
            <source>Guessed from the file name (%1). Check that it is right.</source>
            <translation>根据文件名推测（%1）。请确认是否正确。</translation>
        </message>
        <message>
            <source>Could not tell the architecture from the file; please choose it.</source>
            <translation>无法从文件识别架构，请手动选择。</translation>
        </message>
        <message>
            <source>Could not tell the architecture (%1); please choose it.</source>
            <translation>无法识别架构（%1），请手动选择。</translation>
        </message>
        <message numerus="yes">
            <source>this version of Tessera runs VMs with up to %n CPU(s)</source>
            <translation>
                <numerusform>此版本的 Tessera 运行的虚拟机最多 %n 个 CPU</numerusform>
            </translation>
        </message>
        <message>
            <source>PowerPC 32-bit (Power Mac, mac99)</source>
            <translation>32 位 PowerPC（Power Mac，mac99）</translation>
        </message>
        <message>
            <source>a Power Mac (mac99) has one CPU</source>
            <translation>Power Mac（mac99）只有一个 CPU</translation>
        </message>
        <message>
            <source>Tessera's emulator runs RISC-V 64-bit and PowerPC 32-bit systems today. A VM for %1 can be created and shown as a QEMU command, but not started in Tessera yet.</source>
            <translation>Tessera 的模拟器目前可运行 64 位 RISC-V 和 32 位 PowerPC 系统。可以创建 %1 虚拟机并查看对应的 QEMU 命令，但暂时还不能在 Tessera 中启动。</translation>
        </message>
        <message>
            <source>Tessera's Power Mac (mac99) starts a Linux kernel and initrd, or boots from its disc or its disk; it has one CPU, a screen with an ADB keyboard and mouse, an e1000 network card and the Serial Console (console=ttyPZ0).</source>
            <translation>Tessera 的 Power Mac（mac99）可启动 Linux 内核和 initrd，或从其光盘或磁盘启动；它有一个 CPU、带 ADB 键盘和鼠标的屏幕、一块 e1000 网卡以及串口控制台（console=ttyPZ0）。</translation>
        </message>
        <message>
            <source>The system the PowerPC install disc installs takes SSH logins with the key only; a password is for login and su on its console.</source>
            <translation>PowerPC 安装光盘所安装的系统只接受使用密钥的 SSH 登录；密码用于其控制台上的 login 和 su。</translation>
        </message>
    </context>
    <context>
        <name>ImportQemuDialog</name>
        <message>
            <source>Import from QEMU Command Line</source>
            <translation>从 QEMU 命令行导入</translation>
        </message>
        <message>
            <source>Paste a command that starts a virtual machine with QEMU, for example:
qemu-system-riscv64 -machine virt -m 1G -kernel Image -append "console=ttyS0"</source>
            <translation>粘贴一条用 QEMU 启动虚拟机的命令，例如：
qemu-system-riscv64 -machine virt -m 1G -kernel Image -append "console=ttyS0"</translation>
        </message>
        <message>
            <source>Relative file names in the command are looked up in this folder.</source>
            <translation>命令中的相对文件名将在此文件夹中查找。</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>名称：</translation>
        </message>
        <message>
            <source>Files are in:</source>
            <translation>文件位置：</translation>
        </message>
        <message>
            <source>Create VM</source>
            <translation>创建虚拟机</translation>
        </message>
        <message>
            <source>Imported VM</source>
            <translation>导入的虚拟机</translation>
        </message>
        <message numerus="yes">
            <source>&lt;b&gt;%1&lt;/b&gt; (%2), %3 memory, %n CPU(s)</source>
            <translation>
                <numerusform>&lt;b&gt;%1&lt;/b&gt;（%2），内存 %3，%n 个 CPU</numerusform>
            </translation>
        </message>
        <message>
            <source>Disk: %1 (%2)</source>
            <translation>磁盘：%1（%2）</translation>
        </message>
        <message>
            <source>CD/DVD: %1</source>
            <translation>光盘：%1</translation>
        </message>
        <message>
            <source>Kernel: %1</source>
            <translation>内核：%1</translation>
        </message>
        <message>
            <source>Port forward: %1:%2 → guest port %3</source>
            <translation>端口转发：%1:%2 → 虚拟机端口 %3</translation>
        </message>
        <message>
            <source>Not carried over:</source>
            <translation>未导入的选项：</translation>
        </message>
        <message>
            <source>Not imported: a disk image builds on a file outside the VM folder that you did not allow.</source>
            <translation>未导入：有磁盘映像建立在虚拟机文件夹之外的文件之上，而您没有允许使用该文件。</translation>
        </message>
        <message>
            <source>Initrd: %1</source>
            <translation>Initrd：%1</translation>
        </message>
        <message>
            <source>Network: none</source>
            <translation>网络：无</translation>
        </message>
        <message numerus="yes">
            <source>Network: %n card(s), user-mode networking (NAT)</source>
            <translation>
                <numerusform>网络：%n 块网卡，用户模式网络（NAT）</numerusform>
            </translation>
        </message>
        <message>
            <source>What will not work (you can still create the VM):</source>
            <translation>以下内容将无法使用（仍可创建此虚拟机）：</translation>
        </message>
    </context>
    <context>
        <name>LinkedCloneGuard</name>
        <message>
            <source>Start %1?</source>
            <translation>启动 %1？</translation>
        </message>
        <message>
            <source>Making them independent copies the data they share into each clone (up to %1 of disk space); then this VM starts.</source>
            <translation>使它们独立会把共享的数据复制到每个克隆中（最多占用 %1 磁盘空间）；然后启动此虚拟机。</translation>
        </message>
        <message>
            <source>Make Clones Independent and Start</source>
            <translation>使克隆独立并启动</translation>
        </message>
        <message>
            <source>"%1" could not be made independent: %2</source>
            <translation>无法使“%1”独立：%2</translation>
        </message>
        <message>
            <source>Making the clones independent…</source>
            <translation>正在使克隆独立…</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>No virtual machines yet</source>
            <translation>还没有虚拟机</translation>
        </message>
        <message>
            <source>Create one from an installer disc, a Linux kernel or a disk image —
for RISC-V and other processors, right on this computer.</source>
            <translation>可以从安装光盘、Linux 内核或磁盘映像创建一台——
在本机上运行 RISC-V 及其他处理器的系统。</translation>
        </message>
        <message>
            <source>Create a Virtual Machine…</source>
            <translation>创建虚拟机…</translation>
        </message>
        <message>
            <source>Import a QEMU Command…</source>
            <translation>导入 QEMU 命令…</translation>
        </message>
        <message>
            <source>Tessera</source>
            <translation>Tessera</translation>
        </message>
        <message>
            <source>Virtual machines</source>
            <translation>虚拟机</translation>
        </message>
        <message>
            <source>&amp;New VM…</source>
            <translation>新建虚拟机(&amp;N)…</translation>
        </message>
        <message>
            <source>Create a virtual machine from an installer disc, a kernel, a disk image or a download</source>
            <translation>从安装光盘、内核、磁盘映像或网络下载创建虚拟机</translation>
        </message>
        <message>
            <source>&amp;Import QEMU Command…</source>
            <translation>导入 QEMU 命令(&amp;I)…</translation>
        </message>
        <message>
            <source>&amp;Start</source>
            <translation>启动(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Open Window</source>
            <translation>打开窗口(&amp;O)</translation>
        </message>
        <message>
            <source>&amp;Settings…</source>
            <translation>设置(&amp;S)…</translation>
        </message>
        <message>
            <source>&amp;Clone…</source>
            <translation>克隆(&amp;C)…</translation>
        </message>
        <message>
            <source>&amp;Delete…</source>
            <translation>删除(&amp;D)…</translation>
        </message>
        <message>
            <source>S&amp;hrink Disk…</source>
            <translation>压缩磁盘(&amp;H)…</translation>
        </message>
        <message>
            <source>Show in &amp;Files</source>
            <translation>在文件管理器中显示(&amp;F)</translation>
        </message>
        <message>
            <source>Show &amp;QEMU Command</source>
            <translation>显示 QEMU 命令(&amp;Q)</translation>
        </message>
        <message>
            <source>Library</source>
            <translation>虚拟机库</translation>
        </message>
        <message>
            <source>Search VMs</source>
            <translation>搜索虚拟机</translation>
        </message>
        <message>
            <source>&amp;Machine</source>
            <translation>虚拟机(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>&amp;About Tessera</source>
            <translation>关于 Tessera(&amp;A)</translation>
        </message>
        <message>
            <source>About Tessera</source>
            <translation>关于 Tessera</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Tessera %1&lt;/h3&gt;&lt;p&gt;Virtual machines of other CPU architectures, on this computer, with Tessera's own emulator.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Tessera %1&lt;/h3&gt;&lt;p&gt;使用 Tessera 自己的模拟器，在本机运行其他处理器架构的虚拟机。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Start the selected VM</source>
            <translation>启动选中的虚拟机</translation>
        </message>
        <message>
            <source>Shut the VM down to change its settings</source>
            <translation>请先关闭虚拟机再修改设置</translation>
        </message>
        <message>
            <source>Change memory, CPUs, boot files, CD and network</source>
            <translation>修改内存、CPU、启动文件、光盘和网络</translation>
        </message>
        <message>
            <source>%1 cannot be opened: %2</source>
            <translation>无法打开 %1：%2</translation>
        </message>
        <message numerus="yes">
            <source>%n virtual machine(s) in %1</source>
            <translation>
                <numerusform>%1 中有 %n 台虚拟机</numerusform>
            </translation>
        </message>
        <message>
            <source>Cannot start %1</source>
            <translation>无法启动 %1</translation>
        </message>
        <message>
            <source>Clone %1</source>
            <translation>克隆 %1</translation>
        </message>
        <message>
            <source>%1 (copy)</source>
            <translation>%1（副本）</translation>
        </message>
        <message>
            <source>Full copy — independent of the original; needs as much space again.</source>
            <translation>完整复制——与原虚拟机互不依赖；需要同样大小的空间。</translation>
        </message>
        <message>
            <source>Clone</source>
            <translation>克隆</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>名称：</translation>
        </message>
        <message>
            <source>Clone failed</source>
            <translation>克隆失败</translation>
        </message>
        <message>
            <source>Delete %1?</source>
            <translation>删除 %1？</translation>
        </message>
        <message>
            <source>Delete the virtual machine "%1" and its disks?</source>
            <translation>删除虚拟机“%1”及其磁盘？</translation>
        </message>
        <message>
            <source>Moving it to the trash lets you restore it later. Deleting it forever frees the space now.</source>
            <translation>移到回收站后以后还可以恢复；永久删除会立即释放空间。</translation>
        </message>
        <message>
            <source>Move to Trash</source>
            <translation>移到回收站</translation>
        </message>
        <message>
            <source>Delete Forever</source>
            <translation>永久删除</translation>
        </message>
        <message>
            <source>Delete failed</source>
            <translation>删除失败</translation>
        </message>
        <message>
            <source>Shut the VM down to shrink its disk</source>
            <translation>请先关闭虚拟机再压缩其磁盘</translation>
        </message>
        <message>
            <source>Give back disk space the VM no longer uses</source>
            <translation>释放虚拟机不再使用的磁盘空间</translation>
        </message>
        <message>
            <source>Linked clone — fast and small; the new disk only stores changes.
The original VM's disk must stay where it is; the original does not start while clones depend on it.</source>
            <translation>链接克隆——快速且占用空间小；新磁盘只保存改动。
原虚拟机的磁盘必须保留在原处；只要还有克隆依赖它，原虚拟机就不会启动。</translation>
        </message>
        <message>
            <source>The search looks at each VM's name, processor and state.</source>
            <translation>搜索范围包括每台虚拟机的名称、处理器和状态。</translation>
        </message>
        <message>
            <source>Clear Search</source>
            <translation>清除搜索</translation>
        </message>
        <message>
            <source>No virtual machine matches “%1”</source>
            <translation>没有与“%1”匹配的虚拟机</translation>
        </message>
        <message>
            <source>Show &amp;Logs…</source>
            <translation>显示日志(&amp;L)…</translation>
        </message>
        <message>
            <source>What the VM printed on its serial console, and Tessera's notes, for its recent runs</source>
            <translation>虚拟机最近几次运行时在串口控制台上的输出，以及 Tessera 的记录</translation>
        </message>
        <message>
            <source>The VM forwards no host port to its SSH port 22</source>
            <translation>此虚拟机没有将主机端口转发到它的 SSH 端口 22</translation>
        </message>
        <message>
            <source>Copy %1 to the clipboard</source>
            <translation>将 %1 复制到剪贴板</translation>
        </message>
    </context>
    <context>
        <name>NetworkPage</name>
        <message>
            <source>Network</source>
            <translation>网络</translation>
        </message>
        <message>
            <source>The VM reaches the internet through this computer. Forward ports to reach services inside the VM.</source>
            <translation>虚拟机通过本机访问互联网。通过端口转发可以从本机访问虚拟机中的服务。</translation>
        </message>
        <message>
            <source>Connect to the internet (NAT)</source>
            <translation>连接互联网（NAT）</translation>
        </message>
        <message>
            <source>With the prefilled forward, &lt;tt&gt;ssh -p 2222 user@localhost&lt;/tt&gt; on this computer reaches the SSH server inside the VM.</source>
            <translation>使用预设的转发规则，在本机执行 &lt;tt&gt;ssh -p 2222 user@localhost&lt;/tt&gt; 即可连接虚拟机中的 SSH 服务。</translation>
        </message>
        <message>
            <source>Port forwards:</source>
            <translation>端口转发：</translation>
        </message>
    </context>
    <context>
        <name>NewVmWizard</name>
        <message>
            <source>New Virtual Machine</source>
            <translation>新建虚拟机</translation>
        </message>
        <message>
            <source>Create</source>
            <translation>创建</translation>
        </message>
        <message>
            <source>Starting VMs needs the emulator runner, which is not part of this build yet</source>
            <translation>启动虚拟机需要模拟器运行组件，当前版本尚未包含</translation>
        </message>
        <message>
            <source>its disk image builds on a file outside the VM folder that you did not allow</source>
            <translation>它的磁盘映像建立在虚拟机文件夹之外的文件之上，而您没有允许使用该文件</translation>
        </message>
    </context>
    <context>
        <name>PortForwardEditor</name>
        <message>
            <source>Protocol</source>
            <translation>协议</translation>
        </message>
        <message>
            <source>Listen on (this computer)</source>
            <translation>监听地址（本机）</translation>
        </message>
        <message>
            <source>Host port</source>
            <translation>本机端口</translation>
        </message>
        <message>
            <source>Guest port</source>
            <translation>虚拟机端口</translation>
        </message>
        <message>
            <source>Add</source>
            <translation>添加</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <source>Rows %1 and %2 both use host port %3. Each forward needs its own host port.</source>
            <translation>第 %1 行和第 %2 行都使用了本机端口 %3。每条转发规则需要使用不同的本机端口。</translation>
        </message>
        <message>
            <source>127.0.0.1 (or localhost) = only this computer can connect; 0.0.0.0 = other computers on your network can connect too</source>
            <translation>127.0.0.1（或 localhost）= 仅本机可以连接；0.0.0.0 = 网络中的其他计算机也可以连接</translation>
        </message>
        <message>
            <source>Listen on</source>
            <translation>监听地址</translation>
        </message>
        <message>
            <source>Guest address</source>
            <translation>虚拟机地址</translation>
        </message>
        <message>
            <source>Row %1, %2: %3.</source>
            <translation>第 %1 行，%2：%3。</translation>
        </message>
    </context>
    <context>
        <name>PortForwardsDialog</name>
        <message>
            <source>Port Forwards — %1</source>
            <translation>端口转发 — %1</translation>
        </message>
        <message>
            <source>Programs on this computer reach a service in the VM by connecting to the host port. Changes apply at once, while the VM runs.</source>
            <translation>本机上的程序通过连接主机端口来访问虚拟机中的服务。更改会在虚拟机运行时立即生效。</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>应用</translation>
        </message>
    </context>
    <context>
        <name>QObject</name>
        <message>
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
    </context>
    <context>
        <name>QemuCommandDialog</name>
        <message>
            <source>QEMU command for %1</source>
            <translation>%1 的 QEMU 命令</translation>
        </message>
        <message>
            <source>This command starts the same virtual machine in QEMU. Use it to compare Tessera with QEMU or to attach to a bug report.</source>
            <translation>这条命令可在 QEMU 中启动同样的虚拟机。可用于比较 Tessera 与 QEMU，或附在问题报告中。</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>复制</translation>
        </message>
    </context>
    <context>
        <name>QuitDialog</name>
        <message>
            <source>Running</source>
            <translation>运行中</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>已暂停</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>已关闭</translation>
        </message>
        <message>
            <source>Quit Tessera</source>
            <translation>退出 Tessera</translation>
        </message>
        <message numerus="yes">
            <source>%n virtual machine(s) still running</source>
            <translation>
                <numerusform>仍有 %n 台虚拟机在运行</numerusform>
            </translation>
        </message>
        <message>
            <source>Quitting Tessera ends them. Shut Down asks each guest to shut down, as its power button does, so it can save its work. Power Off stops them at once: what the guests have not saved is lost.</source>
            <translation>退出 Tessera 会结束这些虚拟机。“关闭系统”会像按下电源按钮那样请每个客户机自行关机，以便保存其工作。“强制关机”会立即停止它们：客户机中未保存的内容将丢失。</translation>
        </message>
        <message>
            <source>%v of %m stopped</source>
            <translation>已停止 %v / %m</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <source>Power Off and Quit</source>
            <translation>强制关机并退出</translation>
        </message>
        <message>
            <source>Shut Down and Quit</source>
            <translation>关闭系统并退出</translation>
        </message>
        <message>
            <source>Cannot be asked to shut down: %1</source>
            <translation>无法请求其关闭系统：%1</translation>
        </message>
        <message>
            <source>Shutting down…</source>
            <translation>正在关闭系统…</translation>
        </message>
        <message>
            <source>Powering off… Tessera writes out and closes the VMs' disks.</source>
            <translation>正在强制关机… Tessera 正在写回并关闭虚拟机的磁盘。</translation>
        </message>
        <message>
            <source>Powering off…</source>
            <translation>正在强制关机…</translation>
        </message>
        <message numerus="yes">
            <source>Waiting for the guests to shut down… (at most %n more second(s))</source>
            <translation>
                <numerusform>正在等待客户机关闭系统…（最多还需 %n 秒）</numerusform>
            </translation>
        </message>
        <message>
            <source>Still running: %1. Power Off stops them at once (what they have not saved is lost); Shut Down presses their power buttons again; Cancel keeps Tessera running.</source>
            <translation>仍在运行：%1。“强制关机”会立即停止它们（未保存的内容将丢失）；“关闭系统”会再次按下它们的电源按钮；“取消”则让 Tessera 继续运行。</translation>
        </message>
        <message>
            <source>Shut Down Again</source>
            <translation>再次关闭系统</translation>
        </message>
    </context>
    <context>
        <name>RunLogsDialog</name>
        <message>
            <source>Logs of %1</source>
            <translation>%1 的日志</translation>
        </message>
        <message>
            <source>Run started %1</source>
            <translation>%1 开始的运行</translation>
        </message>
        <message>
            <source>Serial Console</source>
            <translation>串口控制台</translation>
        </message>
        <message>
            <source>Tessera</source>
            <translation>Tessera</translation>
        </message>
        <message>
            <source>Run:</source>
            <translation>运行：</translation>
        </message>
        <message>
            <source>Open Logs Folder</source>
            <translation>打开日志文件夹</translation>
        </message>
        <message>
            <source>This VM has not run yet</source>
            <translation>此虚拟机尚未运行过</translation>
        </message>
    </context>
    <context>
        <name>SerialConsole</name>
        <message>
            <source>Paste to the VM</source>
            <translation>粘贴到虚拟机</translation>
        </message>
    </context>
    <context>
        <name>ShrinkDiskDialog</name>
        <message>
            <source>Shrink Disk of %1</source>
            <translation>压缩 %1 的磁盘</translation>
        </message>
        <message>
            <source>Shrinking gives back space the guest has freed. Deleted files still occupy the disk until the guest tells it: run &lt;tt&gt;sudo fstrim -av&lt;/tt&gt; inside the VM first, then shut it down and shrink.</source>
            <translation>压缩可以释放虚拟机中已腾出的空间。已删除的文件在虚拟机系统告知之前仍然占用磁盘：请先在虚拟机中运行 &lt;tt&gt;sudo fstrim -av&lt;/tt&gt;，然后关闭虚拟机再压缩。</translation>
        </message>
        <message>
            <source>Also compress the data (smaller file; data written later is stored uncompressed)</source>
            <translation>同时压缩数据（文件更小；之后写入的数据不压缩）</translation>
        </message>
        <message>
            <source>Shrink</source>
            <translation>压缩</translation>
        </message>
        <message>
            <source>Disk:</source>
            <translation>磁盘：</translation>
        </message>
        <message>
            <source>This VM has no writable disk to shrink.</source>
            <translation>此虚拟机没有可压缩的可写磁盘。</translation>
        </message>
        <message>
            <source>Shut down the VM to shrink its disk: the disk cannot be rewritten while the VM uses it.</source>
            <translation>请关闭虚拟机后再压缩磁盘：虚拟机使用磁盘时无法重写磁盘。</translation>
        </message>
        <message>
            <source>Size for the guest: &lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Space used on this computer: &lt;b&gt;%2&lt;/b&gt;</source>
            <translation>虚拟机看到的容量：&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;在本机上占用的空间：&lt;b&gt;%2&lt;/b&gt;</translation>
        </message>
        <message>
            <source>&lt;br&gt;Estimated size after shrinking: &lt;b&gt;at most %1&lt;/b&gt; (blocks that hold only zeros are dropped too)</source>
            <translation>&lt;br&gt;压缩后的预计大小：&lt;b&gt;最多 %1&lt;/b&gt;（全为零的数据块也会被去除）</translation>
        </message>
        <message>
            <source>Shrinking… The original stays untouched until the shrunk copy has been verified.</source>
            <translation>正在压缩… 在压缩后的副本通过校验之前，原磁盘不会被改动。</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>正在取消…</translation>
        </message>
        <message>
            <source>Done. Before: %1, after: %2 — %3 given back to this computer.</source>
            <translation>完成。压缩前：%1，压缩后：%2——为本机释放了 %3。</translation>
        </message>
        <message>
            <source>Cancelled. The disk was not changed.</source>
            <translation>已取消。磁盘没有被改动。</translation>
        </message>
        <message>
            <source>The disk could not be shrunk, and it was not changed: %1</source>
            <translation>无法压缩磁盘，磁盘没有被改动：%1</translation>
        </message>
    </context>
    <context>
        <name>SourcePage</name>
        <message>
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <source>Choose the %1 with Browse…, or type its path.</source>
            <translation>请点击“浏览…”选择%1，或输入其路径。</translation>
        </message>
        <message>
            <source>The file "%1" does not exist. Check the name or pick it with Browse….</source>
            <translation>文件“%1”不存在。请检查文件名，或点击“浏览…”选择。</translation>
        </message>
        <message>
            <source>"%1" is a folder; choose the %2 file inside it.</source>
            <translation>“%1”是一个文件夹；请选择其中的%2文件。</translation>
        </message>
        <message>
            <source>You are not allowed to read "%1".</source>
            <translation>您没有读取“%1”的权限。</translation>
        </message>
        <message>
            <source>The file "%1" is empty.</source>
            <translation>文件“%1”是空的。</translation>
        </message>
        <message>
            <source>What do you want to run?</source>
            <translation>您想运行什么？</translation>
        </message>
        <message>
            <source>Pick what the new virtual machine starts from. You can change this later in its settings.</source>
            <translation>选择新虚拟机的启动来源。以后可以在设置中更改。</translation>
        </message>
        <message>
            <source>Installer disc (ISO)</source>
            <translation>安装光盘（ISO）</translation>
        </message>
        <message>
            <source>Install an operating system from a CD/DVD image, like a real computer.</source>
            <translation>像真实计算机一样，从 CD/DVD 映像安装操作系统。</translation>
        </message>
        <message>
            <source>Linux kernel and initrd</source>
            <translation>Linux 内核和 initrd</translation>
        </message>
        <message>
            <source>Start a kernel directly, for kernel development or small systems.</source>
            <translation>直接启动内核，适合内核开发或小型系统。</translation>
        </message>
        <message>
            <source>Existing disk image</source>
            <translation>现有磁盘映像</translation>
        </message>
        <message>
            <source>Use a qcow2 or raw disk that already has a system installed.</source>
            <translation>使用已经装好系统的 qcow2 或 raw 磁盘。</translation>
        </message>
        <message>
            <source>Download from the internet</source>
            <translation>从互联网下载</translation>
        </message>
        <message>
            <source>Fetch an installer or disk image from a web address into the VM's folder.</source>
            <translation>从网址下载安装光盘或磁盘映像到虚拟机文件夹。</translation>
        </message>
        <message>
            <source>for example debian-13-netinst-riscv64.iso</source>
            <translation>例如 debian-13-netinst-riscv64.iso</translation>
        </message>
        <message>
            <source>optional</source>
            <translation>可选</translation>
        </message>
        <message>
            <source>Linked clone: keep the original image unchanged and store changes in the VM</source>
            <translation>链接克隆：保持原映像不变，改动保存在虚拟机中</translation>
        </message>
        <message>
            <source>optional: 64 hexadecimal digits from the download page</source>
            <translation>可选：下载页面上提供的 64 位十六进制数字</translation>
        </message>
        <message>
            <source>Disc image:</source>
            <translation>光盘映像：</translation>
        </message>
        <message>
            <source>Choose an installer disc</source>
            <translation>选择安装光盘</translation>
        </message>
        <message>
            <source>Disc images (*.iso *.img);;All files (*)</source>
            <translation>光盘映像 (*.iso *.img);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Kernel:</source>
            <translation>内核：</translation>
        </message>
        <message>
            <source>Choose a kernel</source>
            <translation>选择内核</translation>
        </message>
        <message>
            <source>Kernels (Image* vmlinu* *.elf *.bin *.efi);;All files (*)</source>
            <translation>内核 (Image* vmlinu* *.elf *.bin *.efi);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Initrd:</source>
            <translation>Initrd：</translation>
        </message>
        <message>
            <source>Choose an initial RAM disk</source>
            <translation>选择初始内存盘（initrd）</translation>
        </message>
        <message>
            <source>All files (*)</source>
            <translation>所有文件 (*)</translation>
        </message>
        <message>
            <source>Command line:</source>
            <translation>命令行：</translation>
        </message>
        <message>
            <source>Disk image:</source>
            <translation>磁盘映像：</translation>
        </message>
        <message>
            <source>Choose a disk image</source>
            <translation>选择磁盘映像</translation>
        </message>
        <message>
            <source>Disk images (*.qcow2 *.img *.raw);;All files (*)</source>
            <translation>磁盘映像 (*.qcow2 *.img *.raw);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Address:</source>
            <translation>网址：</translation>
        </message>
        <message>
            <source>SHA-256:</source>
            <translation>SHA-256：</translation>
        </message>
        <message>
            <source>disc image</source>
            <translation>光盘映像</translation>
        </message>
        <message>
            <source>kernel</source>
            <translation>内核</translation>
        </message>
        <message>
            <source>initrd</source>
            <translation>initrd</translation>
        </message>
        <message>
            <source>disk image</source>
            <translation>磁盘映像</translation>
        </message>
        <message>
            <source>Type or paste the web address of the file to download.</source>
            <translation>请输入或粘贴要下载文件的网址。</translation>
        </message>
        <message>
            <source>"%1" is not a web address. It should start with https://</source>
            <translation>“%1”不是网址。网址应以 https:// 开头</translation>
        </message>
        <message>
            <source>The address must end with a file name, like …/debian.iso</source>
            <translation>网址必须以文件名结尾，例如 …/debian.iso</translation>
        </message>
        <message numerus="yes">
            <source>A SHA-256 checksum has exactly 64 characters 0-9 and a-f; this one has %n character(s).</source>
            <translation>
                <numerusform>SHA-256 校验值正好是 64 个 0-9 和 a-f 之间的字符；当前输入有 %n 个字符。</numerusform>
            </translation>
        </message>
        <message>
            <source>Express install: install without questions</source>
            <translation>快速安装：无需回答问题即可安装</translation>
        </message>
        <message>
            <source>optional, default: debian</source>
            <translation>可选，默认：debian</translation>
        </message>
        <message>
            <source>lower case, for example alice</source>
            <translation>小写，例如 alice</translation>
        </message>
        <message>
            <source>stored only as a hash</source>
            <translation>仅以哈希值保存</translation>
        </message>
        <message>
            <source>optional: ssh-ed25519 AAAA… (your ~/.ssh/id_ed25519.pub)</source>
            <translation>可选：ssh-ed25519 AAAA…（您的 ~/.ssh/id_ed25519.pub）</translation>
        </message>
        <message>
            <source>Host name:</source>
            <translation>主机名：</translation>
        </message>
        <message>
            <source>User:</source>
            <translation>用户：</translation>
        </message>
        <message>
            <source>Password:</source>
            <translation>密码：</translation>
        </message>
        <message>
            <source>SSH public key:</source>
            <translation>SSH 公钥：</translation>
        </message>
        <message>
            <source>When it is done, eject the disc and restart from the disk</source>
            <translation>完成后弹出光盘并从磁盘重新启动</translation>
        </message>
    </context>
    <context>
        <name>SummaryPage</name>
        <message>
            <source>Ready to create</source>
            <translation>准备创建</translation>
        </message>
        <message>
            <source>Check the summary, give the VM a name, and press Create.</source>
            <translation>请检查摘要，为虚拟机命名，然后点击“创建”。</translation>
        </message>
        <message>
            <source>Start the VM now</source>
            <translation>立即启动虚拟机</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>名称：</translation>
        </message>
        <message>
            <source>Equivalent QEMU command:</source>
            <translation>等效的 QEMU 命令：</translation>
        </message>
        <message>
            <source>%1 Linux</source>
            <translation>%1 Linux</translation>
        </message>
        <message>
            <source>Architecture</source>
            <translation>架构</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>内存</translation>
        </message>
        <message>
            <source>CPUs</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>CD/DVD</source>
            <translation>光盘</translation>
        </message>
        <message>
            <source>Kernel</source>
            <translation>内核</translation>
        </message>
        <message>
            <source> (copied into the VM)</source>
            <translation>（已复制到虚拟机中）</translation>
        </message>
        <message>
            <source>Initrd</source>
            <translation>Initrd</translation>
        </message>
        <message>
            <source>Command line</source>
            <translation>命令行</translation>
        </message>
        <message>
            <source>linked to %1</source>
            <translation>链接到 %1</translation>
        </message>
        <message>
            <source>new, up to %1</source>
            <translation>新建，最大 %1</translation>
        </message>
        <message>
            <source>Disk</source>
            <translation>磁盘</translation>
        </message>
        <message>
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>网络</translation>
        </message>
        <message>
            <source>no internet</source>
            <translation>不连接互联网</translation>
        </message>
        <message>
            <source>NAT (internet through this computer)</source>
            <translation>NAT（通过本机访问互联网）</translation>
        </message>
        <message>
            <source>Port forwards</source>
            <translation>端口转发</translation>
        </message>
        <message>
            <source>Folder</source>
            <translation>文件夹</translation>
        </message>
        <message>
            <source>Please choose another name: %1.</source>
            <translation>请换一个名称：%1。</translation>
        </message>
        <message>
            <source>A VM called "%1" already exists. Please choose another name.</source>
            <translation>名为“%1”的虚拟机已存在。请换一个名称。</translation>
        </message>
        <message>
            <source>The VM could not be created: %1</source>
            <translation>无法创建虚拟机：%1</translation>
        </message>
    </context>
    <context>
        <name>VmCardDelegate</name>
        <message>
            <source>never run</source>
            <translation>从未运行</translation>
        </message>
        <message>
            <source>ran just now</source>
            <translation>刚刚运行过</translation>
        </message>
        <message numerus="yes">
            <source>ran %n minute(s) ago</source>
            <translation>
                <numerusform>%n 分钟前运行过</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>ran %n hour(s) ago</source>
            <translation>
                <numerusform>%n 小时前运行过</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>ran %n day(s) ago</source>
            <translation>
                <numerusform>%n 天前运行过</numerusform>
            </translation>
        </message>
        <message>
            <source>ran on %1</source>
            <translation>于 %1 运行过</translation>
        </message>
        <message>
            <source>Cannot be opened</source>
            <translation>无法打开</translation>
        </message>
        <message>
            <source>No screenshot yet</source>
            <translation>暂无截图</translation>
        </message>
        <message numerus="yes">
            <source>%1 · %n CPU(s)</source>
            <translation>
                <numerusform>%1 · %n 个 CPU</numerusform>
            </translation>
        </message>
        <message>
            <source>Disk %1 used of %2</source>
            <translation>磁盘已用 %1 / 共 %2</translation>
        </message>
        <message>
            <source>No disk</source>
            <translation>无磁盘</translation>
        </message>
        <message numerus="yes">
            <source>%n unknown key(s)</source>
            <translation>
                <numerusform>%n 个未知配置项</numerusform>
            </translation>
        </message>
        <message>
            <source>SSH port %1</source>
            <translation>SSH 端口 %1</translation>
        </message>
    </context>
    <context>
        <name>VmLibraryModel</name>
        <message>
            <source>Stopped</source>
            <translation>已停止</translation>
        </message>
        <message>
            <source>Running</source>
            <translation>运行中</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>已暂停</translation>
        </message>
        <message>
            <source>Broken</source>
            <translation>已损坏</translation>
        </message>
        <message>
            <source>This VM cannot be opened: %1</source>
            <translation>无法打开此虚拟机：%1</translation>
        </message>
        <message>
            <source>Unknown setting "%1" in config.json has no effect</source>
            <translation>config.json 中的未知设置“%1”不起作用</translation>
        </message>
        <message>
            <source>; did you mean "%1"?</source>
            <translation>；您是否想写“%1”？</translation>
        </message>
        <message>
            <source>Linked clone of %1</source>
            <translation>%1 的链接克隆</translation>
        </message>
        <message numerus="yes">
            <source>Base of %n linked clone(s)</source>
            <translation>
                <numerusform>%n 个链接克隆的原虚拟机</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>VmRunner</name>
        <message>
            <source>The guest powered off (exit code %1).</source>
            <translation>客户机已关机（退出码 %1）。</translation>
        </message>
        <message>
            <source>The guest asked for a reset.</source>
            <translation>客户机请求重启。</translation>
        </message>
        <message>
            <source>The time limit was reached.</source>
            <translation>已达到时间限制。</translation>
        </message>
        <message>
            <source>The VM was powered off.</source>
            <translation>虚拟机已强制关机。</translation>
        </message>
        <message>
            <source>The emulator stopped: %1</source>
            <translation>模拟器已停止：%1</translation>
        </message>
        <message>
            <source>Files this VM needs are missing. %1 Put them back, or change the VM's Settings.</source>
            <translation>此虚拟机需要的文件缺失。%1请将它们放回原处，或修改虚拟机的“设置”。</translation>
        </message>
        <message>
            <source>The installation finished, but the VM could not be switched to its disk: %1</source>
            <translation>安装已完成，但无法将虚拟机切换为从其磁盘启动：%1</translation>
        </message>
    </context>
    <context>
        <name>VmSettingsDialog</name>
        <message>
            <source>Settings of %1</source>
            <translation>%1 的设置</translation>
        </message>
        <message>
            <source> MiB</source>
            <translation> MiB</translation>
        </message>
        <message>
            <source>for example: console=ttyS0 root=/dev/vda rw</source>
            <translation>例如：console=ttyS0 root=/dev/vda rw</translation>
        </message>
        <message>
            <source>no disc inserted</source>
            <translation>未插入光盘</translation>
        </message>
        <message>
            <source>Screen and serial console</source>
            <translation>屏幕和串口控制台</translation>
        </message>
        <message>
            <source>Serial console only</source>
            <translation>仅串口控制台</translation>
        </message>
        <message>
            <source>Hardware</source>
            <translation>硬件</translation>
        </message>
        <message>
            <source>Architecture:</source>
            <translation>架构：</translation>
        </message>
        <message>
            <source>Memory:</source>
            <translation>内存：</translation>
        </message>
        <message>
            <source>CPUs:</source>
            <translation>CPU 数量：</translation>
        </message>
        <message>
            <source>Display:</source>
            <translation>显示：</translation>
        </message>
        <message>
            <source>Boot</source>
            <translation>启动</translation>
        </message>
        <message>
            <source>Kernel:</source>
            <translation>内核：</translation>
        </message>
        <message>
            <source>Choose a kernel</source>
            <translation>选择内核</translation>
        </message>
        <message>
            <source>Initrd:</source>
            <translation>Initrd：</translation>
        </message>
        <message>
            <source>Choose an initial RAM disk</source>
            <translation>选择初始内存盘（initrd）</translation>
        </message>
        <message>
            <source>Command line:</source>
            <translation>命令行：</translation>
        </message>
        <message>
            <source>CD/DVD:</source>
            <translation>光盘：</translation>
        </message>
        <message>
            <source>Choose a disc image</source>
            <translation>选择光盘映像</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>网络</translation>
        </message>
        <message>
            <source>Connect to the internet through this computer (NAT)</source>
            <translation>通过本机连接互联网（NAT）</translation>
        </message>
        <message>
            <source>Port forwards (reach a service in the VM from this computer):</source>
            <translation>端口转发（从本机访问虚拟机中的服务）：</translation>
        </message>
        <message>
            <source>Could not save the settings: %1</source>
            <translation>无法保存设置：%1</translation>
        </message>
        <message numerus="yes">
            <source>This VM was set to %n CPU(s); it can start with at most %1.</source>
            <translation>
                <numerusform>此虚拟机原设为 %n 个 CPU；它最多只能以 %1 个 CPU 启动。</numerusform>
            </translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>名称：</translation>
        </message>
        <message>
            <source>Disks</source>
            <translation>磁盘</translation>
        </message>
        <message>
            <source>The VM cannot be renamed: %1</source>
            <translation>无法重命名虚拟机：%1</translation>
        </message>
        <message>
            <source>The VM is running: shut it down to add or remove disks.</source>
            <translation>虚拟机正在运行：请先将其关闭，再添加或移除磁盘。</translation>
        </message>
        <message>
            <source>The new disk could not be created: %1</source>
            <translation>无法创建新磁盘：%1</translation>
        </message>
        <message>
            <source>The settings were saved, but the VM could not be renamed: %1</source>
            <translation>设置已保存，但无法重命名虚拟机：%1</translation>
        </message>
    </context>
    <context>
        <name>VmStoppedBanner</name>
        <message>
            <source>Start</source>
            <translation>启动</translation>
        </message>
        <message>
            <source>The VM has stopped. %1</source>
            <translation>虚拟机已停止。%1</translation>
        </message>
    </context>
    <context>
        <name>VmWindow</name>
        <message>
            <source>%1 — Tessera</source>
            <translation>%1 — Tessera</translation>
        </message>
        <message>
            <source>Machine</source>
            <translation>虚拟机</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>暂停</translation>
        </message>
        <message>
            <source>Power Off</source>
            <translation>强制关机</translation>
        </message>
        <message>
            <source>Power off %1?</source>
            <translation>强制关闭 %1？</translation>
        </message>
        <message>
            <source>Powering off is like pulling the plug: unsaved work in the VM is lost.</source>
            <translation>强制关机相当于拔掉电源：虚拟机中未保存的工作将会丢失。</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>继续</translation>
        </message>
        <message>
            <source>%1 is running</source>
            <translation>%1 正在运行</translation>
        </message>
        <message>
            <source>Display</source>
            <translation>显示器</translation>
        </message>
        <message>
            <source>Serial Console</source>
            <translation>串口控制台</translation>
        </message>
        <message>
            <source>%1 MIPS</source>
            <translation>%1 MIPS</translation>
        </message>
        <message>
            <source>Stop the guest's clock and processor until you resume</source>
            <translation>暂停客户机的时钟和处理器，直到您继续运行</translation>
        </message>
        <message>
            <source>Reset</source>
            <translation>重置</translation>
        </message>
        <message>
            <source>Restart the VM at once, like a reset button</source>
            <translation>立即重启虚拟机，如同按下复位按钮</translation>
        </message>
        <message>
            <source>Reset %1?</source>
            <translation>重置 %1？</translation>
        </message>
        <message>
            <source>Resetting restarts the VM at once: unsaved work in the VM is lost.</source>
            <translation>重置会立即重启虚拟机：虚拟机中未保存的工作将会丢失。</translation>
        </message>
        <message>
            <source>Shut Down</source>
            <translation>关闭系统</translation>
        </message>
        <message>
            <source>Press the VM's power button; the guest decides whether to shut down</source>
            <translation>按下虚拟机的电源按钮；是否关机由客户机决定</translation>
        </message>
        <message>
            <source>Stop the VM at once, like pulling the plug</source>
            <translation>立即停止虚拟机，如同拔掉电源</translation>
        </message>
        <message>
            <source>Screenshot…</source>
            <translation>截图…</translation>
        </message>
        <message>
            <source>Change Disc…</source>
            <translation>更换光盘…</translation>
        </message>
        <message>
            <source>Eject</source>
            <translation>弹出</translation>
        </message>
        <message>
            <source>The disc could not be ejected</source>
            <translation>无法弹出光盘</translation>
        </message>
        <message>
            <source>Port Forwards…</source>
            <translation>端口转发…</translation>
        </message>
        <message>
            <source>Fit to Window</source>
            <translation>适应窗口</translation>
        </message>
        <message>
            <source>Integer Scaling (Sharp Pixels)</source>
            <translation>整数倍缩放（像素清晰）</translation>
        </message>
        <message>
            <source>Full Screen</source>
            <translation>全屏</translation>
        </message>
        <message>
            <source>Full screen (F11, or Ctrl+Alt+F while the VM has the keyboard)</source>
            <translation>全屏（F11；虚拟机占用键盘时按 Ctrl+Alt+F）</translation>
        </message>
        <message>
            <source>&amp;Machine</source>
            <translation>虚拟机(&amp;M)</translation>
        </message>
        <message>
            <source>Close Window</source>
            <translation>关闭窗口</translation>
        </message>
        <message>
            <source>&amp;Devices</source>
            <translation>设备(&amp;D)</translation>
        </message>
        <message>
            <source>CD-ROM</source>
            <translation>光驱</translation>
        </message>
        <message>
            <source>Send &amp;Key</source>
            <translation>发送按键(&amp;K)</translation>
        </message>
        <message>
            <source>The keys could not be sent</source>
            <translation>无法发送按键</translation>
        </message>
        <message>
            <source>Ctrl+Alt+F1…F12</source>
            <translation>Ctrl+Alt+F1…F12</translation>
        </message>
        <message>
            <source>Ctrl+Alt+F%1</source>
            <translation>Ctrl+Alt+F%1</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>This VM has no display and no keyboard</source>
            <translation>此虚拟机没有显示器和键盘</translation>
        </message>
        <message>
            <source>Send Key</source>
            <translation>发送按键</translation>
        </message>
        <message>
            <source>No network</source>
            <translation>无网络</translation>
        </message>
        <message>
            <source>This VM has no network card</source>
            <translation>此虚拟机没有网卡</translation>
        </message>
        <message>
            <source>No disc</source>
            <translation>无光盘</translation>
        </message>
        <message>
            <source>CD: %1</source>
            <translation>光盘：%1</translation>
        </message>
        <message>
            <source>No disc in the drive</source>
            <translation>光驱中没有光盘</translation>
        </message>
        <message>
            <source>In the drive: %1</source>
            <translation>光驱中：%1</translation>
        </message>
        <message>
            <source>Network: connected</source>
            <translation>网络：已连接</translation>
        </message>
        <message>
            <source>Network: cable unplugged</source>
            <translation>网络：网线已拔出</translation>
        </message>
        <message>
            <source>Press Ctrl+Alt+G to release the keyboard</source>
            <translation>按 Ctrl+Alt+G 释放键盘</translation>
        </message>
        <message>
            <source>Click the screen to type into the VM</source>
            <translation>点击屏幕即可向虚拟机输入</translation>
        </message>
        <message>
            <source>%1 does not exist or is not a file.</source>
            <translation>%1 不存在或不是文件。</translation>
        </message>
        <message>
            <source>Insert a Disc</source>
            <translation>插入光盘</translation>
        </message>
        <message>
            <source>CD/DVD images (*.iso *.img);;All files (*)</source>
            <translation>CD/DVD 映像 (*.iso *.img);;所有文件 (*)</translation>
        </message>
        <message>
            <source>The disc could not be inserted</source>
            <translation>无法插入光盘</translation>
        </message>
        <message>
            <source>Some port forwards could not be set up</source>
            <translation>部分端口转发无法设置</translation>
        </message>
        <message>
            <source>%1

The other forwards are active. Another program may use that host port: choose a different one.</source>
            <translation>%1

其他转发规则已生效。可能有其他程序正在使用该主机端口：请换一个端口。</translation>
        </message>
        <message>
            <source>Cannot write %1.</source>
            <translation>无法写入 %1。</translation>
        </message>
        <message>
            <source>%1 %2.png</source>
            <translation>%1 %2.png</translation>
        </message>
        <message>
            <source>Save Screenshot</source>
            <translation>保存截图</translation>
        </message>
        <message>
            <source>PNG images (*.png)</source>
            <translation>PNG 图像 (*.png)</translation>
        </message>
        <message>
            <source>The screenshot could not be saved</source>
            <translation>无法保存截图</translation>
        </message>
        <message>
            <source>The VM has no keyboard or is not running.</source>
            <translation>虚拟机没有键盘或未在运行。</translation>
        </message>
        <message>
            <source>Unknown key combination: %1</source>
            <translation>未知的组合键：%1</translation>
        </message>
        <message>
            <source>Power off the VM, or keep it running without its window? Open Window in the library brings the window back.</source>
            <translation>要强制关闭虚拟机，还是让它在没有窗口的情况下继续运行？在虚拟机库中点击“打开窗口”即可重新显示窗口。</translation>
        </message>
        <message>
            <source>Keep Running</source>
            <translation>继续运行</translation>
        </message>
        <message>
            <source>The VM's power button was pressed. If the guest does not shut down, use Power Off.</source>
            <translation>已按下虚拟机的电源按钮。如果客户机没有关机，请使用“强制关机”。</translation>
        </message>
        <message>
            <source>Resize Guest with Window</source>
            <translation>客户机分辨率随窗口调整</translation>
        </message>
        <message>
            <source>Offer the window's size to the guest as its screen resolution (guests with a desktop follow it; a text console keeps its size)</source>
            <translation>将窗口大小作为屏幕分辨率提供给客户机（带桌面的客户机会随之调整；文本控制台保持原有大小）</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>启动</translation>
        </message>
        <message>
            <source>Start the VM again, with the settings it has now</source>
            <translation>按当前设置重新启动虚拟机</translation>
        </message>
        <message>
            <source>The VM cannot be asked to shut down: %1. Use Power Off.</source>
            <translation>无法请求虚拟机关闭系统：%1。请使用“强制关机”。</translation>
        </message>
        <message>
            <source>Cannot start %1</source>
            <translation>无法启动 %1</translation>
        </message>
        <message>
            <source>Network: off</source>
            <translation>网络：已关闭</translation>
        </message>
        <message>
            <source>Idle</source>
            <translation>空闲</translation>
        </message>
        <message>
            <source>%1

Last second: %2 million instructions per second; the processor was busy %3% of the time.</source>
            <translation>%1

最近一秒：每秒 %2 百万条指令；处理器有 %3% 的时间处于忙碌状态。</translation>
        </message>
        <message>
            <source>Speed of the emulated processor: millions of guest instructions run per second (MIPS). When the guest has nothing to do it waits for an interrupt and Tessera lets it sleep, so the figure drops and the status bar says Idle: that is not slowness.</source>
            <translation>模拟处理器的速度：每秒运行的客户机指令数（百万条，MIPS）。客户机无事可做时会等待中断，Tessera 便让它休眠，因此数值下降，状态栏显示“空闲”：这并不表示运行缓慢。</translation>
        </message>
        <message>
            <source>There is no disc in the drive</source>
            <translation>驱动器中没有光盘</translation>
        </message>
        <message>
            <source>Paused: keys typed now are not sent to the VM</source>
            <translation>已暂停：现在输入的按键不会发送到虚拟机</translation>
        </message>
        <message>
            <source>The installation has finished: Tessera ejected the installer disc and starts the VM from its disk.</source>
            <translation>安装已完成：Tessera 已弹出安装光盘，并从磁盘启动虚拟机。</translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Tessera runs virtual machines of other CPU architectures (RISC-V 64) on this computer.</source>
            <translation>Tessera 在本机运行其他处理器架构（64 位 RISC-V）的虚拟机。</translation>
        </message>
    </context>
    <context>
        <name>tessera::ui</name>
        <message>
            <source>Copy SSH Command</source>
            <translation>复制 SSH 命令</translation>
        </message>
        <message>
            <source>Copy the command that logs in to the VM over its forwarded SSH port</source>
            <translation>复制通过转发的 SSH 端口登录虚拟机的命令</translation>
        </message>
        <message>
            <source>This VM forwards no host port to its port 22 (SSH). Add one with Port Forwards, e.g. host port 2222 to guest port 22.</source>
            <translation>此虚拟机没有将主机端口转发到它的 22 端口（SSH）。请在“端口转发”中添加一个，例如主机端口 2222 到虚拟机端口 22。</translation>
        </message>
        <message>
            <source>Copied "%1": paste it into a terminal once the VM's SSH server runs.</source>
            <translation>已复制“%1”：虚拟机的 SSH 服务器运行后，粘贴到终端即可。</translation>
        </message>
    </context>
    <context>
        <name>tessera::ui::PortConflictPrompt</name>
        <message>
            <source>Host port %1 is already used by another program.</source>
            <translation>主机端口 %1 已被另一个程序占用。</translation>
        </message>
        <message>
            <source>Host port %1 is already used by the VM “%2”, which is running.</source>
            <translation>主机端口 %1 已被正在运行的虚拟机“%2”占用。</translation>
        </message>
        <message>
            <source>Port %1 is free.</source>
            <translation>端口 %1 空闲。</translation>
        </message>
        <message>
            <source>No free port was found near it.</source>
            <translation>在其附近没有找到空闲端口。</translation>
        </message>
        <message>
            <source>%1 cannot use its port forwards</source>
            <translation>%1 无法使用其端口转发</translation>
        </message>
        <message>
            <source>Start the VM with the free port instead? The change is kept in its settings.</source>
            <translation>改用空闲端口启动虚拟机吗？此更改将保存在其设置中。</translation>
        </message>
        <message>
            <source>Use Port %1</source>
            <translation>使用端口 %1</translation>
        </message>
        <message>
            <source>Use the Free Ports</source>
            <translation>使用空闲端口</translation>
        </message>
        <message>
            <source>The settings could not be saved</source>
            <translation>无法保存设置</translation>
        </message>
    </context>
    <context>
        <name>tessera::ui::VmWindow</name>
        <message>
            <source>Ctrl+Alt+Del</source>
            <translation>Ctrl+Alt+Del</translation>
        </message>
        <message>
            <source>Ctrl+Alt+Backspace</source>
            <translation>Ctrl+Alt+Backspace</translation>
        </message>
        <message>
            <source>Print Screen</source>
            <translation>Print Screen（截屏键）</translation>
        </message>
    </context>
    <context>
        <name>tessera::vm</name>
        <message>
            <source>ELF file for an unknown machine (e_machine %1)</source>
            <translation>未知机器类型的 ELF 文件（e_machine %1）</translation>
        </message>
        <message>
            <source>ELF executable for %1</source>
            <translation>%1 的 ELF 可执行文件</translation>
        </message>
        <message>
            <source>Linux kernel Image for RISC-V</source>
            <translation>RISC-V 的 Linux 内核 Image</translation>
        </message>
        <message>
            <source>Linux kernel Image for ARM64</source>
            <translation>ARM64 的 Linux 内核 Image</translation>
        </message>
        <message>
            <source>PE/EFI program for an unknown machine (0x%1)</source>
            <translation>未知机器类型的 PE/EFI 程序（0x%1）</translation>
        </message>
        <message>
            <source>EFI/PE program for %1</source>
            <translation>%1 的 EFI/PE 程序</translation>
        </message>
        <message>
            <source>installer disc with the EFI loader %1</source>
            <translation>带有 EFI 引导程序 %1 的安装光盘</translation>
        </message>
        <message>
            <source>installer disc with a PowerPC boot folder (/ppc)</source>
            <translation>带有 PowerPC 引导目录（/ppc）的安装光盘</translation>
        </message>
        <message>
            <source>disc label "%1"</source>
            <translation>光盘卷标“%1”</translation>
        </message>
        <message>
            <source>PC (BIOS) bootable disc</source>
            <translation>PC（BIOS）可引导光盘</translation>
        </message>
        <message>
            <source>PowerPC bootable disc</source>
            <translation>PowerPC 可引导光盘</translation>
        </message>
        <message>
            <source>CD/DVD image "%1" without a recognisable boot loader</source>
            <translation>光盘映像“%1”中没有可识别的引导程序</translation>
        </message>
        <message>
            <source>cannot read the file: %1</source>
            <translation>无法读取文件：%1</translation>
        </message>
        <message>
            <source>guessed from the file name only</source>
            <translation>仅根据文件名推测</translation>
        </message>
        <message>
            <source>RISC-V 64-bit</source>
            <translation>64 位 RISC-V</translation>
        </message>
        <message>
            <source>RISC-V 32-bit</source>
            <translation>32 位 RISC-V</translation>
        </message>
        <message>
            <source>ARM 64-bit</source>
            <translation>64 位 ARM</translation>
        </message>
        <message>
            <source>ARM 32-bit</source>
            <translation>32 位 ARM</translation>
        </message>
        <message>
            <source>PowerPC 32-bit</source>
            <translation>32 位 PowerPC</translation>
        </message>
        <message>
            <source>PowerPC 64-bit</source>
            <translation>64 位 PowerPC</translation>
        </message>
        <message>
            <source>x86 64-bit</source>
            <translation>64 位 x86</translation>
        </message>
        <message>
            <source>x86 32-bit</source>
            <translation>32 位 x86</translation>
        </message>
        <message>
            <source>MIPS 32-bit</source>
            <translation>32 位 MIPS</translation>
        </message>
        <message>
            <source>MIPS 64-bit (little-endian)</source>
            <translation>64 位 MIPS（小端）</translation>
        </message>
        <message>
            <source>IBM Z (s390x)</source>
            <translation>IBM Z（s390x）</translation>
        </message>
        <message>
            <source>SPARC 64-bit</source>
            <translation>64 位 SPARC</translation>
        </message>
        <message>
            <source>Motorola 68000</source>
            <translation>摩托罗拉 68000</translation>
        </message>
        <message numerus="yes">
            <source>This VM is set to %n CPU(s), but this version of Tessera runs VMs with at most %1. Lower the number of CPUs in the VM's Settings.</source>
            <translation>
                <numerusform>此虚拟机设为 %n 个 CPU，但此版本的 Tessera 运行的虚拟机最多只能有 %1 个。请在虚拟机的“设置”中减少 CPU 数量。</numerusform>
            </translation>
        </message>
        <message>
            <source> (through its backing file %1)</source>
            <translation>（经由其后备文件 %1）</translation>
        </message>
        <message>
            <source>disk "%1"%2 uses the backing file %3, which lies outside the VM folder. An image from elsewhere can name any file on this computer and show it to the VM, so Tessera does not open it until you allow that file.</source>
            <translation>磁盘“%1”%2 使用后备文件 %3，它位于虚拟机文件夹之外。来自别处的映像可以指向这台计算机上的任何文件并将其展示给虚拟机，因此在您允许该文件之前，Tessera 不会打开它。</translation>
        </message>
        <message>
            <source>The disk image %1 is not in %2.</source>
            <translation>磁盘映像 %1 不在 %2 中。</translation>
        </message>
        <message>
            <source>The CD/DVD image %1 is not in %2.</source>
            <translation>CD/DVD 映像 %1 不在 %2 中。</translation>
        </message>
        <message>
            <source>The kernel %1 is not in %2.</source>
            <translation>内核 %1 不在 %2 中。</translation>
        </message>
        <message>
            <source>The initrd %1 is not in %2.</source>
            <translation>initrd %1 不在 %2 中。</translation>
        </message>
        <message>
            <source>The firmware %1 is not in %2.</source>
            <translation>固件 %1 不在 %2 中。</translation>
        </message>
        <message>
            <source>Tessera uses its own emulator, not KVM</source>
            <translation>Tessera 使用自己的模拟器，而不是 KVM</translation>
        </message>
        <message>
            <source>Tessera uses its own emulator</source>
            <translation>Tessera 使用自己的模拟器</translation>
        </message>
        <message>
            <source>Tessera chooses the CPU model for the board</source>
            <translation>Tessera 会为主板选择 CPU 型号</translation>
        </message>
        <message>
            <source>the guest clock always follows the host clock</source>
            <translation>客户机时钟始终跟随主机时钟</translation>
        </message>
        <message>
            <source>not configurable yet</source>
            <translation>暂不可配置</translation>
        </message>
        <message>
            <source>Tessera has no QEMU monitor</source>
            <translation>Tessera 没有 QEMU 监视器</translation>
        </message>
        <message>
            <source>Tessera shows the screen in its own window</source>
            <translation>Tessera 在自己的窗口中显示屏幕</translation>
        </message>
        <message>
            <source>Tessera picks the display device for the board</source>
            <translation>Tessera 会为主板选择显示设备</translation>
        </message>
        <message>
            <source>the keyboard layout comes from the host</source>
            <translation>键盘布局取自主机</translation>
        </message>
        <message>
            <source>USB is not emulated</source>
            <translation>不模拟 USB</translation>
        </message>
        <message>
            <source>throw-away sessions are not supported yet</source>
            <translation>暂不支持不保存更改的临时会话</translation>
        </message>
        <message>
            <source>not applicable to a desktop app</source>
            <translation>不适用于桌面应用</translation>
        </message>
        <message>
            <source>use View → Full Screen in the VM window</source>
            <translation>请使用虚拟机窗口中的“视图 → 全屏”</translation>
        </message>
        <message>
            <source>not applicable</source>
            <translation>不适用</translation>
        </message>
        <message>
            <source>logs go into the VM's logs folder</source>
            <translation>日志写入虚拟机的 logs 文件夹</translation>
        </message>
        <message>
            <source>no watchdog device</source>
            <translation>没有看门狗设备</translation>
        </message>
        <message>
            <source>no sound device</source>
            <translation>没有声音设备</translation>
        </message>
        <message>
            <source>Only the first network card is attached; this machine has one virtio-net slot.</source>
            <translation>只连接了第一块网卡；此机器只有一个 virtio-net 插槽。</translation>
        </message>
        <message>
            <source>"%1"</source>
            <translation>“%1”</translation>
        </message>
        <message>
            <source>, </source>
            <translation>、</translation>
        </message>
        <message numerus="yes">
            <source>"%1" is the original of %n linked clone(s) (%2): they store only their own changes and read everything else from its disk. Starting it would change that disk under them and damage them. Start a clone instead, or make the clones independent copies first.</source>
            <translation>
                <numerusform>“%1”是 %n 个链接克隆（%2）的原虚拟机：这些克隆只保存自己的改动，其余内容都从它的磁盘读取。启动它会改变这块磁盘并损坏这些克隆。请改为启动某个克隆，或先使这些克隆成为独立的副本。</numerusform>
            </translation>
        </message>
        <message>
            <source>cannot replace %1: %2</source>
            <translation>无法替换 %1：%2</translation>
        </message>
        <message>
            <source>No bootable disc or disk was found: %1 (see the Serial Console). Insert an installer disc with Change Disc… or add a disk with an operating system, then restart the VM.</source>
            <translation>未找到可启动的光盘或磁盘：%1（请查看串口控制台）。请通过“更换光盘…”插入安装光盘，或添加装有操作系统的磁盘，然后重新启动虚拟机。</translation>
        </message>
        <message>
            <source>the UEFI firmware stopped in its shell</source>
            <translation>UEFI 固件停在了它的命令行界面</translation>
        </message>
        <message>
            <source>U-Boot stopped at its prompt</source>
            <translation>U-Boot 停在了它的命令提示符</translation>
        </message>
        <message numerus="yes">
            <source>This VM has %n CPU(s) but this computer only %1 cores: the VM's CPUs take turns on them, so it runs slower than with %1 CPUs.</source>
            <translation>
                <numerusform>此虚拟机有 %n 个 CPU，但本机只有 %1 个核心：虚拟机的 CPU 轮流使用这些核心，因此比使用 %1 个 CPU 时更慢。</numerusform>
            </translation>
        </message>
        <message>
            <source>The host name may have letters, digits and '-' (not first), at most 63.</source>
            <translation>主机名可包含字母、数字和“-”（不能在开头），最多 63 个字符。</translation>
        </message>
        <message>
            <source>The user name must start with a lower-case letter and have only lower-case letters, digits, '-' and '_' (at most 32).</source>
            <translation>用户名必须以小写字母开头，只能包含小写字母、数字、“-”和“_”（最多 32 个字符）。</translation>
        </message>
        <message>
            <source>Give a password or an SSH public key: otherwise nobody can log in.</source>
            <translation>请提供密码或 SSH 公钥：否则没有人能够登录。</translation>
        </message>
        <message>
            <source>The SSH key is not an OpenSSH public key line (ssh-ed25519 AAAA... comment).</source>
            <translation>该 SSH 密钥不是 OpenSSH 公钥行（ssh-ed25519 AAAA... 注释）。</translation>
        </message>
        <message>
            <source>Cannot write the install answers %1: %2</source>
            <translation>无法写入安装应答 %1：%2</translation>
        </message>
        <message>
            <source>Power Mac boot disc (a blessed HFS+ volume)</source>
            <translation>Power Mac 启动光盘（带有已指定启动文件夹的 HFS+ 卷）</translation>
        </message>
        <message>
            <source>The Power Mac firmware (OpenBIOS, %1) is not installed: install Debian's qemu-system-data package.</source>
            <translation>未安装 Power Mac 固件（OpenBIOS，%1）：请安装 Debian 的 qemu-system-data 软件包。</translation>
        </message>
        <message>
            <source>Tessera's emulator runs RISC-V 64-bit and PowerPC 32-bit (Power Mac, mac99) systems today. This VM is for %1 (board "%2"): it can be kept and shown as a QEMU command (Show QEMU Command), but not started in Tessera yet.</source>
            <translation>Tessera 的模拟器目前运行 64 位 RISC-V 和 32 位 PowerPC（Power Mac，mac99）系统。此虚拟机用于 %1（主板“%2”）：可以保留它并显示为 QEMU 命令（“显示 QEMU 命令”），但暂时无法在 Tessera 中启动。</translation>
        </message>
        <message>
            <source>Tessera's emulator runs %1 systems on the "%2" board; this VM uses the "%3" board. It can be kept and shown as a QEMU command (Show QEMU Command), but not started in Tessera yet.</source>
            <translation>Tessera 的模拟器在“%2”主板上运行 %1 系统；此虚拟机使用“%3”主板。可以保留它并显示为 QEMU 命令（“显示 QEMU 命令”），但暂时无法在 Tessera 中启动。</translation>
        </message>
        <message>
            <source>A Power Mac (mac99) has one CPU, but this VM is set to %1. Set CPUs to 1 in the VM's Settings.</source>
            <translation>Power Mac（mac99）只有一个 CPU，但此虚拟机设置为 %1 个。请在虚拟机的设置中将 CPU 数量设为 1。</translation>
        </message>
        <message>
            <source>A Power Mac (mac99) takes from 32 MiB to 2047 MiB of memory, as QEMU's does; this VM is set to %1. Change the memory in the VM's Settings.</source>
            <translation>Power Mac（mac99）与 QEMU 的一样，可使用 32 MiB 到 2047 MiB 内存；此虚拟机设置为 %1。请在虚拟机的设置中更改内存。</translation>
        </message>
        <message>
            <source>Only the first network card is attached; a Power Mac (mac99) has one e1000.</source>
            <translation>只连接第一块网卡；Power Mac（mac99）只有一块 e1000。</translation>
        </message>
        <message>
            <source>The RISC-V UEFI firmware (%1) is not installed: install Debian's qemu-efi-riscv64 package.</source>
            <translation>RISC-V UEFI 固件（%1）未安装：请安装 Debian 的 qemu-efi-riscv64 软件包。</translation>
        </message>
        <message>
            <source>A Power Mac (mac99) has two disks at most, but this VM has %1. Remove all but two disks in the VM's Settings.</source>
            <translation>Power Mac（mac99）最多有两个磁盘，但此虚拟机有 %1 个。请在虚拟机的设置中只保留两个磁盘。</translation>
        </message>
    </context>
    <context>
        <name>tessera::vm::Importer</name>
        <message>
            <source>the command starts with "%1", but a QEMU virtual machine command starts with qemu-system-&lt;architecture&gt;, e.g. qemu-system-riscv64</source>
            <translation>命令以“%1”开头，但 QEMU 虚拟机命令应以 qemu-system-&lt;架构&gt; 开头，例如 qemu-system-riscv64</translation>
        </message>
        <message>
            <source>%1: Tessera does not know the "%2" architecture</source>
            <translation>%1：Tessera 不认识“%2”架构</translation>
        </message>
        <message>
            <source>%1 (a disk image without an option)</source>
            <translation>%1（未带选项的磁盘映像）</translation>
        </message>
        <message>
            <source>%1 (unknown option)</source>
            <translation>%1（未知选项）</translation>
        </message>
        <message>
            <source>%1 needs a value after it</source>
            <translation>%1 后面需要一个值</translation>
        </message>
        <message>
            <source>-m %1: memory must be a size like 512M or 2G</source>
            <translation>-m %1：内存必须是类似 512M 或 2G 的大小</translation>
        </message>
        <message>
            <source>-smp %1: the CPU count must be a whole number</source>
            <translation>-smp %1：CPU 数量必须是整数</translation>
        </message>
        <message>
            <source>-machine %1=%2 (board properties are fixed in Tessera)</source>
            <translation>-machine %1=%2（在 Tessera 中主板属性是固定的）</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1（%2）</translation>
        </message>
        <message>
            <source>-drive %1=%2 (not supported)</source>
            <translation>-drive %1=%2（不支持）</translation>
        </message>
        <message>
            <source>%1 (a drive without a file)</source>
            <translation>%1（没有文件的驱动器）</translation>
        </message>
        <message>
            <source>-boot %1 (boot device "%2" does not exist in Tessera)</source>
            <translation>-boot %1（Tessera 中没有启动设备“%2”）</translation>
        </message>
        <message>
            <source>%1: %2=%3 (not supported)</source>
            <translation>%1：%2=%3（不支持）</translation>
        </message>
        <message>
            <source>%1: only user-mode networking (NAT) exists in Tessera; "%2" became NAT</source>
            <translation>%1：Tessera 只有用户模式网络（NAT）；“%2”已改为 NAT</translation>
        </message>
        <message>
            <source>-netdev %1=%2 (not supported)</source>
            <translation>-netdev %1=%2（不支持）</translation>
        </message>
        <message>
            <source>%1: "%2" became NAT</source>
            <translation>%1：“%2”已改为 NAT</translation>
        </message>
        <message>
            <source>-nic %1=%2 (not supported)</source>
            <translation>-nic %1=%2（不支持）</translation>
        </message>
        <message>
            <source>-net %1=%2 (not supported)</source>
            <translation>-net %1=%2（不支持）</translation>
        </message>
        <message>
            <source>%1 (not in the form tcp:2222::22)</source>
            <translation>%1（格式不是 tcp:2222::22）</translation>
        </message>
        <message>
            <source>%1: the old -redir option became a port forward from 127.0.0.1:%2 to guest port %3</source>
            <translation>%1：旧的 -redir 选项已改为从 127.0.0.1:%2 到客户机端口 %3 的端口转发</translation>
        </message>
        <message>
            <source>%1 (device not emulated by Tessera)</source>
            <translation>%1（Tessera 不模拟此设备）</translation>
        </message>
        <message>
            <source>%1 (no -drive with id=%2)</source>
            <translation>%1（没有 id=%2 的 -drive）</translation>
        </message>
        <message>
            <source>-drive file=%1 (never attached to a device)</source>
            <translation>-drive file=%1（未连接到任何设备）</translation>
        </message>
        <message>
            <source>-drive file=%1 (Tessera has one CD-ROM drive)</source>
            <translation>-drive file=%1（Tessera 只有一个光驱）</translation>
        </message>
        <message>
            <source>No network option: the VM gets QEMU's default, one network card with user-mode networking (NAT).</source>
            <translation>没有网络选项：虚拟机获得 QEMU 的默认设置，即一块使用用户模式网络（NAT）的网卡。</translation>
        </message>
        <message>
            <source>-netdev without a -device that uses it</source>
            <translation>-netdev 没有被任何 -device 使用</translation>
        </message>
        <message>
            <source>qemu-system-ppc without -M starts QEMU's g3beige; Tessera's PowerPC machine is the Power Mac "mac99", so the VM uses that.</source>
            <translation>不带 -M 的 qemu-system-ppc 会启动 QEMU 的 g3beige；Tessera 的 PowerPC 机器是 Power Mac“mac99”，因此虚拟机使用它。</translation>
        </message>
        <message>
            <source>-smp %1 (a Power Mac (mac99) has one CPU; the VM gets 1)</source>
            <translation>-smp %1（Power Mac（mac99）只有一个 CPU；虚拟机使用 1 个）</translation>
        </message>
        <message>
            <source>-m %1 (a Power Mac (mac99) takes at most 2047 MiB; the VM gets that)</source>
            <translation>-m %1（Power Mac（mac99）最多使用 2047 MiB；虚拟机使用该值）</translation>
        </message>
        <message>
            <source>qemu-system-riscv64 without -M starts QEMU's spike; Tessera's RISC-V machine is "virt" (what RISC-V guides use with -M virt), so the VM uses that.</source>
            <translation>不带 -M 的 qemu-system-riscv64 会启动 QEMU 的 spike；Tessera 的 RISC-V 机器是“virt”（RISC-V 指南中用 -M virt 指定的机器），因此虚拟机使用它。</translation>
        </message>
        <message>
            <source>%1 (used when the command runs with tessera-cli qemu; a VM in the library does not keep it)</source>
            <translation>%1（用 tessera-cli qemu 运行该命令时生效；库中的虚拟机不保存它）</translation>
        </message>
        <message>
            <source>%1 (the serial console goes to the terminal (stdio), none or file:PATH)</source>
            <translation>%1（串口控制台只能输出到终端 (stdio)、none 或 file:路径）</translation>
        </message>
        <message>
            <source>%1: QEMU listens on all network interfaces; Tessera listens on 127.0.0.1 only. If other computers must connect, use the address 0.0.0.0 (in the port-forward settings, or hostfwd=tcp:0.0.0.0:…).</source>
            <translation>%1：QEMU 在所有网络接口上监听；Tessera 只在 127.0.0.1 上监听。如果其他计算机需要连接，请使用地址 0.0.0.0（在端口转发设置中，或 hostfwd=tcp:0.0.0.0:…）。</translation>
        </message>
        <message>
            <source>%1 (only -device loader,file=FILE,addr=ADDRESS, a raw file copied to memory)</source>
            <translation>%1（仅支持 -device loader,file=文件,addr=地址，即把原始文件复制到内存）</translation>
        </message>
    </context>
</TS>
