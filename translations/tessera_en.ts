<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>BackingFileDialog</name>
        <message>
            <source>Allow a File Outside the VM Folder?</source>
            <translation>Allow a File Outside the VM Folder?</translation>
        </message>
        <message>
            <source>The disk &lt;b&gt;%1&lt;/b&gt; of &lt;b&gt;%2&lt;/b&gt; builds on another file, its backing file:</source>
            <translation>The disk &lt;b&gt;%1&lt;/b&gt; of &lt;b&gt;%2&lt;/b&gt; builds on another file, its backing file:</translation>
        </message>
        <message>
            <source>The disk &lt;b&gt;%1&lt;/b&gt; of &lt;b&gt;%2&lt;/b&gt; builds on &lt;b&gt;%3&lt;/b&gt;, which builds on another file:</source>
            <translation>The disk &lt;b&gt;%1&lt;/b&gt; of &lt;b&gt;%2&lt;/b&gt; builds on &lt;b&gt;%3&lt;/b&gt;, which builds on another file:</translation>
        </message>
        <message>
            <source>The image names it as &lt;tt&gt;%1&lt;/tt&gt;.</source>
            <translation>The image names it as &lt;tt&gt;%1&lt;/tt&gt;.</translation>
        </message>
        <message>
            <source>This file lies outside the VM's folder. A disk image downloaded or copied from elsewhere can name any file on this computer this way — your documents, your keys — and the VM could then read it. Allow it only if you know that this file belongs to the disk, for example because the disk was made from it.</source>
            <translation>This file lies outside the VM's folder. A disk image downloaded or copied from elsewhere can name any file on this computer this way — your documents, your keys — and the VM could then read it. Allow it only if you know that this file belongs to the disk, for example because the disk was made from it.</translation>
        </message>
        <message>
            <source>Allow This File</source>
            <translation>Allow This File</translation>
        </message>
    </context>
    <context>
        <name>DiskListEditor</name>
        <message>
            <source>Add New Disk…</source>
            <translation>Add New Disk…</translation>
        </message>
        <message>
            <source>Attach Image…</source>
            <translation>Attach Image…</translation>
        </message>
        <message>
            <source>Remove…</source>
            <translation>Remove…</translation>
        </message>
        <message>
            <source>new, %1</source>
            <translation>new, %1</translation>
        </message>
        <message>
            <source>cannot be read</source>
            <translation>cannot be read</translation>
        </message>
        <message>
            <source>%1 — %2, %3</source>
            <translation>%1 — %2, %3</translation>
        </message>
        <message>
            <source>No disk: the VM runs from its kernel, initrd or CD</source>
            <translation>No disk: the VM runs from its kernel, initrd or CD</translation>
        </message>
        <message>
            <source>%1 is already a disk of this VM.</source>
            <translation>%1 is already a disk of this VM.</translation>
        </message>
        <message>
            <source>Add a New Disk</source>
            <translation>Add a New Disk</translation>
        </message>
        <message>
            <source>Maximum size in GiB (the file starts small and grows as the VM writes to it):</source>
            <translation>Maximum size in GiB (the file starts small and grows as the VM writes to it):</translation>
        </message>
        <message>
            <source>Attach a Disk Image</source>
            <translation>Attach a Disk Image</translation>
        </message>
        <message>
            <source>Disk images (*.qcow2 *.img *.raw);;All files (*)</source>
            <translation>Disk images (*.qcow2 *.img *.raw);;All files (*)</translation>
        </message>
        <message>
            <source>Remove %1?</source>
            <translation>Remove %1?</translation>
        </message>
        <message>
            <source>Remove the disk %1 from this VM. Keep its file, or delete it and everything on it?</source>
            <translation>Remove the disk %1 from this VM. Keep its file, or delete it and everything on it?</translation>
        </message>
        <message>
            <source>Keep the File</source>
            <translation>Keep the File</translation>
        </message>
        <message>
            <source>Delete the File</source>
            <translation>Delete the File</translation>
        </message>
        <message>
            <source>Nothing happens until you save the settings.</source>
            <translation>Nothing happens until you save the settings.</translation>
        </message>
    </context>
    <context>
        <name>DiskPage</name>
        <message>
            <source>Disk</source>
            <translation>Disk</translation>
        </message>
        <message>
            <source>The system is installed onto a virtual disk, a single file in the VM's folder.</source>
            <translation>The system is installed onto a virtual disk, a single file in the VM's folder.</translation>
        </message>
        <message>
            <source>Create a new disk</source>
            <translation>Create a new disk</translation>
        </message>
        <message>
            <source>No disk (the system runs from memory or the CD)</source>
            <translation>No disk (the system runs from memory or the CD)</translation>
        </message>
        <message>
            <source> GiB</source>
            <translation> GiB</translation>
        </message>
        <message>
            <source>Maximum size:</source>
            <translation>Maximum size:</translation>
        </message>
        <message>
            <source>The disk file starts small and grows as the system writes to it (qcow2). %1 free where VMs are stored.</source>
            <translation>The disk file starts small and grows as the system writes to it (qcow2). %1 free where VMs are stored.</translation>
        </message>
    </context>
    <context>
        <name>DownloadJob</name>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>Cannot write %1: %2</translation>
        </message>
        <message>
            <source>The server sent a different part of the file than asked for. Try again later.</source>
            <translation>The server sent a different part of the file than asked for. Try again later.</translation>
        </message>
        <message>
            <source>Download stopped. It continues from here when you resume.</source>
            <translation>Download stopped. It continues from here when you resume.</translation>
        </message>
        <message>
            <source>the server answered %1 %2</source>
            <translation>the server answered %1 %2</translation>
        </message>
        <message>
            <source>The download failed: %1. Check the address and your connection; you can resume it.</source>
            <translation>The download failed: %1. Check the address and your connection; you can resume it.</translation>
        </message>
        <message>
            <source>The connection was lost after %1 of %2 bytes. You can resume the download.</source>
            <translation>The connection was lost after %1 of %2 bytes. You can resume the download.</translation>
        </message>
        <message>
            <source>The downloaded file does not match the SHA-256 checksum you entered, so it was deleted. It may be damaged, or the checksum belongs to another file.
Expected: %1
Received: %2</source>
            <translation>The downloaded file does not match the SHA-256 checksum you entered, so it was deleted. It may be damaged, or the checksum belongs to another file.
Expected: %1
Received: %2</translation>
        </message>
        <message>
            <source>Cannot rename the download to %1: %2</source>
            <translation>Cannot rename the download to %1: %2</translation>
        </message>
    </context>
    <context>
        <name>DownloadPage</name>
        <message>
            <source>Downloading</source>
            <translation>Downloading</translation>
        </message>
        <message>
            <source>The file is saved into the virtual machine's folder. You can stop and resume the download.</source>
            <translation>The file is saved into the virtual machine's folder. You can stop and resume the download.</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>Stop</translation>
        </message>
        <message>
            <source>%1 of %2%3</source>
            <translation>%1 of %2%3</translation>
        </message>
        <message>
            <source> (resumed)</source>
            <translation> (resumed)</translation>
        </message>
        <message>
            <source>%1 so far</source>
            <translation>%1 so far</translation>
        </message>
        <message>
            <source>Download complete: %1</source>
            <translation>Download complete: %1</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>Resume</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>Connecting…</translation>
        </message>
    </context>
    <context>
        <name>ExposureConfirmation</name>
        <message>
            <source>%1 port %2 on %3 → guest port %4</source>
            <translation>%1 port %2 on %3 → guest port %4</translation>
        </message>
        <message>
            <source>Let other computers connect?</source>
            <translation>Let other computers connect?</translation>
        </message>
        <message>
            <source>These ports will be reachable from other machines on your network (and from the internet, if it can reach this computer), not only from this computer:</source>
            <translation>These ports will be reachable from other machines on your network (and from the internet, if it can reach this computer), not only from this computer:</translation>
        </message>
        <message>
            <source>Anyone who can connect reaches the service in the VM. Use 127.0.0.1 if only this computer needs it.</source>
            <translation>Anyone who can connect reaches the service in the VM. Use 127.0.0.1 if only this computer needs it.</translation>
        </message>
        <message>
            <source>Allow Other Computers</source>
            <translation>Allow Other Computers</translation>
        </message>
    </context>
    <context>
        <name>FramebufferView</name>
        <message>
            <source>VM screen</source>
            <translation>VM screen</translation>
        </message>
        <message>
            <source>The guest has not turned on its display yet.
Its messages may appear in the Serial Console tab.</source>
            <translation>The guest has not turned on its display yet.
Its messages may appear in the Serial Console tab.</translation>
        </message>
        <message>
            <source>Press Ctrl+Alt+G to release the keyboard</source>
            <translation>Press Ctrl+Alt+G to release the keyboard</translation>
        </message>
        <message>
            <source>The VM is not running.</source>
            <translation>The VM is not running.</translation>
        </message>
        <message>
            <source>Paused — Resume to continue. Keys typed now do not reach the VM.</source>
            <translation>Paused — Resume to continue. Keys typed now do not reach the VM.</translation>
        </message>
    </context>
    <context>
        <name>HardwarePage</name>
        <message>
            <source>Processor and memory</source>
            <translation>Processor and memory</translation>
        </message>
        <message>
            <source>Tessera emulates the processor the system was built for, whatever this computer has.</source>
            <translation>Tessera emulates the processor the system was built for, whatever this computer has.</translation>
        </message>
        <message>
            <source> MiB</source>
            <translation> MiB</translation>
        </message>
        <message>
            <source>This computer has %1. Most Linux systems need 512 MiB–2 GiB; installers like 1 GiB or more.</source>
            <translation>This computer has %1. Most Linux systems need 512 MiB–2 GiB; installers like 1 GiB or more.</translation>
        </message>
        <message numerus="yes">
            <source>up to %n on this computer</source>
            <translation>
                <numerusform>up to %n on this computer</numerusform>
                <numerusform>up to %n on this computer</numerusform>
            </translation>
        </message>
        <message>
            <source>Architecture:</source>
            <translation>Architecture:</translation>
        </message>
        <message>
            <source>Memory:</source>
            <translation>Memory:</translation>
        </message>
        <message>
            <source>CPUs:</source>
            <translation>CPUs:</translation>
        </message>
        <message>
            <source>Detected from the file: %1.</source>
            <translation>Detected from the file: %1.</translation>
        </message>
        <message>
            <source>Guessed from the file name (%1). Check that it is right.</source>
            <translation>Guessed from the file name (%1). Check that it is right.</translation>
        </message>
        <message>
            <source>Could not tell the architecture from the file; please choose it.</source>
            <translation>Could not tell the architecture from the file; please choose it.</translation>
        </message>
        <message>
            <source>Could not tell the architecture (%1); please choose it.</source>
            <translation>Could not tell the architecture (%1); please choose it.</translation>
        </message>
        <message numerus="yes">
            <source>this version of Tessera runs VMs with up to %n CPU(s)</source>
            <translation>
                <numerusform>this version of Tessera runs VMs with up to %n CPU</numerusform>
                <numerusform>this version of Tessera runs VMs with up to %n CPUs</numerusform>
            </translation>
        </message>
        <message>
            <source>PowerPC 32-bit (Power Mac, mac99)</source>
            <translation>PowerPC 32-bit (Power Mac, mac99)</translation>
        </message>
        <message>
            <source>a Power Mac (mac99) has one CPU</source>
            <translation>a Power Mac (mac99) has one CPU</translation>
        </message>
        <message>
            <source>Tessera's emulator runs RISC-V 64-bit and PowerPC 32-bit systems today. A VM for %1 can be created and shown as a QEMU command, but not started in Tessera yet.</source>
            <translation>Tessera's emulator runs RISC-V 64-bit and PowerPC 32-bit systems today. A VM for %1 can be created and shown as a QEMU command, but not started in Tessera yet.</translation>
        </message>
        <message>
            <source>Tessera's Power Mac (mac99) starts a Linux kernel and initrd, or boots from its disc or its disk; it has one CPU, a screen with an ADB keyboard and mouse, an e1000 network card and the Serial Console (console=ttyPZ0).</source>
            <translation>Tessera's Power Mac (mac99) starts a Linux kernel and initrd, or boots from its disc or its disk; it has one CPU, a screen with an ADB keyboard and mouse, an e1000 network card and the Serial Console (console=ttyPZ0).</translation>
        </message>
        <message>
            <source>The system the PowerPC install disc installs takes SSH logins with the key only; a password is for login and su on its console.</source>
            <translation>The system the PowerPC install disc installs takes SSH logins with the key only; a password is for login and su on its console.</translation>
        </message>
    </context>
    <context>
        <name>ImportQemuDialog</name>
        <message>
            <source>Import from QEMU Command Line</source>
            <translation>Import from QEMU Command Line</translation>
        </message>
        <message>
            <source>Paste a command that starts a virtual machine with QEMU, for example:
qemu-system-riscv64 -machine virt -m 1G -kernel Image -append "console=ttyS0"</source>
            <translation>Paste a command that starts a virtual machine with QEMU, for example:
qemu-system-riscv64 -machine virt -m 1G -kernel Image -append "console=ttyS0"</translation>
        </message>
        <message>
            <source>Relative file names in the command are looked up in this folder.</source>
            <translation>Relative file names in the command are looked up in this folder.</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Name:</translation>
        </message>
        <message>
            <source>Files are in:</source>
            <translation>Files are in:</translation>
        </message>
        <message>
            <source>Create VM</source>
            <translation>Create VM</translation>
        </message>
        <message>
            <source>Imported VM</source>
            <translation>Imported VM</translation>
        </message>
        <message numerus="yes">
            <source>&lt;b&gt;%1&lt;/b&gt; (%2), %3 memory, %n CPU(s)</source>
            <translation>
                <numerusform>&lt;b&gt;%1&lt;/b&gt; (%2), %3 memory, %n CPU</numerusform>
                <numerusform>&lt;b&gt;%1&lt;/b&gt; (%2), %3 memory, %n CPUs</numerusform>
            </translation>
        </message>
        <message>
            <source>Disk: %1 (%2)</source>
            <translation>Disk: %1 (%2)</translation>
        </message>
        <message>
            <source>CD/DVD: %1</source>
            <translation>CD/DVD: %1</translation>
        </message>
        <message>
            <source>Kernel: %1</source>
            <translation>Kernel: %1</translation>
        </message>
        <message>
            <source>Port forward: %1:%2 → guest port %3</source>
            <translation>Port forward: %1:%2 → guest port %3</translation>
        </message>
        <message>
            <source>Not carried over:</source>
            <translation>Not carried over:</translation>
        </message>
        <message>
            <source>Not imported: a disk image builds on a file outside the VM folder that you did not allow.</source>
            <translation>Not imported: a disk image builds on a file outside the VM folder that you did not allow.</translation>
        </message>
        <message>
            <source>Initrd: %1</source>
            <translation>Initrd: %1</translation>
        </message>
        <message>
            <source>Network: none</source>
            <translation>Network: none</translation>
        </message>
        <message numerus="yes">
            <source>Network: %n card(s), user-mode networking (NAT)</source>
            <translation>
                <numerusform>Network: %n card, user-mode networking (NAT)</numerusform>
                <numerusform>Network: %n cards, user-mode networking (NAT)</numerusform>
            </translation>
        </message>
        <message>
            <source>What will not work (you can still create the VM):</source>
            <translation>What will not work (you can still create the VM):</translation>
        </message>
    </context>
    <context>
        <name>LinkedCloneGuard</name>
        <message>
            <source>Start %1?</source>
            <translation>Start %1?</translation>
        </message>
        <message>
            <source>Making them independent copies the data they share into each clone (up to %1 of disk space); then this VM starts.</source>
            <translation>Making them independent copies the data they share into each clone (up to %1 of disk space); then this VM starts.</translation>
        </message>
        <message>
            <source>Make Clones Independent and Start</source>
            <translation>Make Clones Independent and Start</translation>
        </message>
        <message>
            <source>"%1" could not be made independent: %2</source>
            <translation>"%1" could not be made independent: %2</translation>
        </message>
        <message>
            <source>Making the clones independent…</source>
            <translation>Making the clones independent…</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>No virtual machines yet</source>
            <translation>No virtual machines yet</translation>
        </message>
        <message>
            <source>Create one from an installer disc, a Linux kernel or a disk image —
for RISC-V and other processors, right on this computer.</source>
            <translation>Create one from an installer disc, a Linux kernel or a disk image —
for RISC-V and other processors, right on this computer.</translation>
        </message>
        <message>
            <source>Create a Virtual Machine…</source>
            <translation>Create a Virtual Machine…</translation>
        </message>
        <message>
            <source>Import a QEMU Command…</source>
            <translation>Import a QEMU Command…</translation>
        </message>
        <message>
            <source>Tessera</source>
            <translation>Tessera</translation>
        </message>
        <message>
            <source>Virtual machines</source>
            <translation>Virtual machines</translation>
        </message>
        <message>
            <source>&amp;New VM…</source>
            <translation>&amp;New VM…</translation>
        </message>
        <message>
            <source>Create a virtual machine from an installer disc, a kernel, a disk image or a download</source>
            <translation>Create a virtual machine from an installer disc, a kernel, a disk image or a download</translation>
        </message>
        <message>
            <source>&amp;Import QEMU Command…</source>
            <translation>&amp;Import QEMU Command…</translation>
        </message>
        <message>
            <source>&amp;Start</source>
            <translation>&amp;Start</translation>
        </message>
        <message>
            <source>&amp;Open Window</source>
            <translation>&amp;Open Window</translation>
        </message>
        <message>
            <source>&amp;Settings…</source>
            <translation>&amp;Settings…</translation>
        </message>
        <message>
            <source>&amp;Clone…</source>
            <translation>&amp;Clone…</translation>
        </message>
        <message>
            <source>&amp;Delete…</source>
            <translation>&amp;Delete…</translation>
        </message>
        <message>
            <source>S&amp;hrink Disk…</source>
            <translation>S&amp;hrink Disk…</translation>
        </message>
        <message>
            <source>Show in &amp;Files</source>
            <translation>Show in &amp;Files</translation>
        </message>
        <message>
            <source>Show &amp;QEMU Command</source>
            <translation>Show &amp;QEMU Command</translation>
        </message>
        <message>
            <source>Library</source>
            <translation>Library</translation>
        </message>
        <message>
            <source>Search VMs</source>
            <translation>Search VMs</translation>
        </message>
        <message>
            <source>&amp;Machine</source>
            <translation>&amp;Machine</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Quit</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Help</translation>
        </message>
        <message>
            <source>&amp;About Tessera</source>
            <translation>&amp;About Tessera</translation>
        </message>
        <message>
            <source>About Tessera</source>
            <translation>About Tessera</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Tessera %1&lt;/h3&gt;&lt;p&gt;Virtual machines of other CPU architectures, on this computer, with Tessera's own emulator.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Tessera %1&lt;/h3&gt;&lt;p&gt;Virtual machines of other CPU architectures, on this computer, with Tessera's own emulator.&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Start the selected VM</source>
            <translation>Start the selected VM</translation>
        </message>
        <message>
            <source>Shut the VM down to change its settings</source>
            <translation>Shut the VM down to change its settings</translation>
        </message>
        <message>
            <source>Change memory, CPUs, boot files, CD and network</source>
            <translation>Change memory, CPUs, boot files, CD and network</translation>
        </message>
        <message>
            <source>%1 cannot be opened: %2</source>
            <translation>%1 cannot be opened: %2</translation>
        </message>
        <message numerus="yes">
            <source>%n virtual machine(s) in %1</source>
            <translation>
                <numerusform>%n virtual machine in %1</numerusform>
                <numerusform>%n virtual machines in %1</numerusform>
            </translation>
        </message>
        <message>
            <source>Cannot start %1</source>
            <translation>Cannot start %1</translation>
        </message>
        <message>
            <source>Clone %1</source>
            <translation>Clone %1</translation>
        </message>
        <message>
            <source>%1 (copy)</source>
            <translation>%1 (copy)</translation>
        </message>
        <message>
            <source>Full copy — independent of the original; needs as much space again.</source>
            <translation>Full copy — independent of the original; needs as much space again.</translation>
        </message>
        <message>
            <source>Clone</source>
            <translation>Clone</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Name:</translation>
        </message>
        <message>
            <source>Clone failed</source>
            <translation>Clone failed</translation>
        </message>
        <message>
            <source>Delete %1?</source>
            <translation>Delete %1?</translation>
        </message>
        <message>
            <source>Delete the virtual machine "%1" and its disks?</source>
            <translation>Delete the virtual machine "%1" and its disks?</translation>
        </message>
        <message>
            <source>Moving it to the trash lets you restore it later. Deleting it forever frees the space now.</source>
            <translation>Moving it to the trash lets you restore it later. Deleting it forever frees the space now.</translation>
        </message>
        <message>
            <source>Move to Trash</source>
            <translation>Move to Trash</translation>
        </message>
        <message>
            <source>Delete Forever</source>
            <translation>Delete Forever</translation>
        </message>
        <message>
            <source>Delete failed</source>
            <translation>Delete failed</translation>
        </message>
        <message>
            <source>Shut the VM down to shrink its disk</source>
            <translation>Shut the VM down to shrink its disk</translation>
        </message>
        <message>
            <source>Give back disk space the VM no longer uses</source>
            <translation>Give back disk space the VM no longer uses</translation>
        </message>
        <message>
            <source>Linked clone — fast and small; the new disk only stores changes.
The original VM's disk must stay where it is; the original does not start while clones depend on it.</source>
            <translation>Linked clone — fast and small; the new disk only stores changes.
The original VM's disk must stay where it is; the original does not start while clones depend on it.</translation>
        </message>
        <message>
            <source>The search looks at each VM's name, processor and state.</source>
            <translation>The search looks at each VM's name, processor and state.</translation>
        </message>
        <message>
            <source>Clear Search</source>
            <translation>Clear Search</translation>
        </message>
        <message>
            <source>No virtual machine matches “%1”</source>
            <translation>No virtual machine matches “%1”</translation>
        </message>
        <message>
            <source>Show &amp;Logs…</source>
            <translation>Show &amp;Logs…</translation>
        </message>
        <message>
            <source>What the VM printed on its serial console, and Tessera's notes, for its recent runs</source>
            <translation>What the VM printed on its serial console, and Tessera's notes, for its recent runs</translation>
        </message>
        <message>
            <source>The VM forwards no host port to its SSH port 22</source>
            <translation>The VM forwards no host port to its SSH port 22</translation>
        </message>
        <message>
            <source>Copy %1 to the clipboard</source>
            <translation>Copy %1 to the clipboard</translation>
        </message>
    </context>
    <context>
        <name>NetworkPage</name>
        <message>
            <source>Network</source>
            <translation>Network</translation>
        </message>
        <message>
            <source>The VM reaches the internet through this computer. Forward ports to reach services inside the VM.</source>
            <translation>The VM reaches the internet through this computer. Forward ports to reach services inside the VM.</translation>
        </message>
        <message>
            <source>Connect to the internet (NAT)</source>
            <translation>Connect to the internet (NAT)</translation>
        </message>
        <message>
            <source>With the prefilled forward, &lt;tt&gt;ssh -p 2222 user@localhost&lt;/tt&gt; on this computer reaches the SSH server inside the VM.</source>
            <translation>With the prefilled forward, &lt;tt&gt;ssh -p 2222 user@localhost&lt;/tt&gt; on this computer reaches the SSH server inside the VM.</translation>
        </message>
        <message>
            <source>Port forwards:</source>
            <translation>Port forwards:</translation>
        </message>
    </context>
    <context>
        <name>NewVmWizard</name>
        <message>
            <source>New Virtual Machine</source>
            <translation>New Virtual Machine</translation>
        </message>
        <message>
            <source>Create</source>
            <translation>Create</translation>
        </message>
        <message>
            <source>Starting VMs needs the emulator runner, which is not part of this build yet</source>
            <translation>Starting VMs needs the emulator runner, which is not part of this build yet</translation>
        </message>
        <message>
            <source>its disk image builds on a file outside the VM folder that you did not allow</source>
            <translation>its disk image builds on a file outside the VM folder that you did not allow</translation>
        </message>
    </context>
    <context>
        <name>PortForwardEditor</name>
        <message>
            <source>Protocol</source>
            <translation>Protocol</translation>
        </message>
        <message>
            <source>Listen on (this computer)</source>
            <translation>Listen on (this computer)</translation>
        </message>
        <message>
            <source>Host port</source>
            <translation>Host port</translation>
        </message>
        <message>
            <source>Guest port</source>
            <translation>Guest port</translation>
        </message>
        <message>
            <source>Add</source>
            <translation>Add</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Remove</translation>
        </message>
        <message>
            <source>Rows %1 and %2 both use host port %3. Each forward needs its own host port.</source>
            <translation>Rows %1 and %2 both use host port %3. Each forward needs its own host port.</translation>
        </message>
        <message>
            <source>127.0.0.1 (or localhost) = only this computer can connect; 0.0.0.0 = other computers on your network can connect too</source>
            <translation>127.0.0.1 (or localhost) = only this computer can connect; 0.0.0.0 = other computers on your network can connect too</translation>
        </message>
        <message>
            <source>Listen on</source>
            <translation>Listen on</translation>
        </message>
        <message>
            <source>Guest address</source>
            <translation>Guest address</translation>
        </message>
        <message>
            <source>Row %1, %2: %3.</source>
            <translation>Row %1, %2: %3.</translation>
        </message>
    </context>
    <context>
        <name>PortForwardsDialog</name>
        <message>
            <source>Port Forwards — %1</source>
            <translation>Port Forwards — %1</translation>
        </message>
        <message>
            <source>Programs on this computer reach a service in the VM by connecting to the host port. Changes apply at once, while the VM runs.</source>
            <translation>Programs on this computer reach a service in the VM by connecting to the host port. Changes apply at once, while the VM runs.</translation>
        </message>
        <message>
            <source>Apply</source>
            <translation>Apply</translation>
        </message>
    </context>
    <context>
        <name>QObject</name>
        <message>
            <source>Browse…</source>
            <translation>Browse…</translation>
        </message>
    </context>
    <context>
        <name>QemuCommandDialog</name>
        <message>
            <source>QEMU command for %1</source>
            <translation>QEMU command for %1</translation>
        </message>
        <message>
            <source>This command starts the same virtual machine in QEMU. Use it to compare Tessera with QEMU or to attach to a bug report.</source>
            <translation>This command starts the same virtual machine in QEMU. Use it to compare Tessera with QEMU or to attach to a bug report.</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>Copy</translation>
        </message>
    </context>
    <context>
        <name>QuitDialog</name>
        <message>
            <source>Running</source>
            <translation>Running</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>Paused</translation>
        </message>
        <message>
            <source>Off</source>
            <translation>Off</translation>
        </message>
        <message>
            <source>Quit Tessera</source>
            <translation>Quit Tessera</translation>
        </message>
        <message numerus="yes">
            <source>%n virtual machine(s) still running</source>
            <translation>
                <numerusform>%n virtual machine still running</numerusform>
                <numerusform>%n virtual machines still running</numerusform>
            </translation>
        </message>
        <message>
            <source>Quitting Tessera ends them. Shut Down asks each guest to shut down, as its power button does, so it can save its work. Power Off stops them at once: what the guests have not saved is lost.</source>
            <translation>Quitting Tessera ends them. Shut Down asks each guest to shut down, as its power button does, so it can save its work. Power Off stops them at once: what the guests have not saved is lost.</translation>
        </message>
        <message>
            <source>%v of %m stopped</source>
            <translation>%v of %m stopped</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>Power Off and Quit</source>
            <translation>Power Off and Quit</translation>
        </message>
        <message>
            <source>Shut Down and Quit</source>
            <translation>Shut Down and Quit</translation>
        </message>
        <message>
            <source>Cannot be asked to shut down: %1</source>
            <translation>Cannot be asked to shut down: %1</translation>
        </message>
        <message>
            <source>Shutting down…</source>
            <translation>Shutting down…</translation>
        </message>
        <message>
            <source>Powering off… Tessera writes out and closes the VMs' disks.</source>
            <translation>Powering off… Tessera writes out and closes the VMs' disks.</translation>
        </message>
        <message>
            <source>Powering off…</source>
            <translation>Powering off…</translation>
        </message>
        <message numerus="yes">
            <source>Waiting for the guests to shut down… (at most %n more second(s))</source>
            <translation>
                <numerusform>Waiting for the guests to shut down… (at most %n more second)</numerusform>
                <numerusform>Waiting for the guests to shut down… (at most %n more seconds)</numerusform>
            </translation>
        </message>
        <message>
            <source>Still running: %1. Power Off stops them at once (what they have not saved is lost); Shut Down presses their power buttons again; Cancel keeps Tessera running.</source>
            <translation>Still running: %1. Power Off stops them at once (what they have not saved is lost); Shut Down presses their power buttons again; Cancel keeps Tessera running.</translation>
        </message>
        <message>
            <source>Shut Down Again</source>
            <translation>Shut Down Again</translation>
        </message>
    </context>
    <context>
        <name>RunLogsDialog</name>
        <message>
            <source>Logs of %1</source>
            <translation>Logs of %1</translation>
        </message>
        <message>
            <source>Run started %1</source>
            <translation>Run started %1</translation>
        </message>
        <message>
            <source>Serial Console</source>
            <translation>Serial Console</translation>
        </message>
        <message>
            <source>Tessera</source>
            <translation>Tessera</translation>
        </message>
        <message>
            <source>Run:</source>
            <translation>Run:</translation>
        </message>
        <message>
            <source>Open Logs Folder</source>
            <translation>Open Logs Folder</translation>
        </message>
        <message>
            <source>This VM has not run yet</source>
            <translation>This VM has not run yet</translation>
        </message>
    </context>
    <context>
        <name>SerialConsole</name>
        <message>
            <source>Paste to the VM</source>
            <translation>Paste to the VM</translation>
        </message>
    </context>
    <context>
        <name>ShrinkDiskDialog</name>
        <message>
            <source>Shrink Disk of %1</source>
            <translation>Shrink Disk of %1</translation>
        </message>
        <message>
            <source>Shrinking gives back space the guest has freed. Deleted files still occupy the disk until the guest tells it: run &lt;tt&gt;sudo fstrim -av&lt;/tt&gt; inside the VM first, then shut it down and shrink.</source>
            <translation>Shrinking gives back space the guest has freed. Deleted files still occupy the disk until the guest tells it: run &lt;tt&gt;sudo fstrim -av&lt;/tt&gt; inside the VM first, then shut it down and shrink.</translation>
        </message>
        <message>
            <source>Also compress the data (smaller file; data written later is stored uncompressed)</source>
            <translation>Also compress the data (smaller file; data written later is stored uncompressed)</translation>
        </message>
        <message>
            <source>Shrink</source>
            <translation>Shrink</translation>
        </message>
        <message>
            <source>Disk:</source>
            <translation>Disk:</translation>
        </message>
        <message>
            <source>This VM has no writable disk to shrink.</source>
            <translation>This VM has no writable disk to shrink.</translation>
        </message>
        <message>
            <source>Shut down the VM to shrink its disk: the disk cannot be rewritten while the VM uses it.</source>
            <translation>Shut down the VM to shrink its disk: the disk cannot be rewritten while the VM uses it.</translation>
        </message>
        <message>
            <source>Size for the guest: &lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Space used on this computer: &lt;b&gt;%2&lt;/b&gt;</source>
            <translation>Size for the guest: &lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Space used on this computer: &lt;b&gt;%2&lt;/b&gt;</translation>
        </message>
        <message>
            <source>&lt;br&gt;Estimated size after shrinking: &lt;b&gt;at most %1&lt;/b&gt; (blocks that hold only zeros are dropped too)</source>
            <translation>&lt;br&gt;Estimated size after shrinking: &lt;b&gt;at most %1&lt;/b&gt; (blocks that hold only zeros are dropped too)</translation>
        </message>
        <message>
            <source>Shrinking… The original stays untouched until the shrunk copy has been verified.</source>
            <translation>Shrinking… The original stays untouched until the shrunk copy has been verified.</translation>
        </message>
        <message>
            <source>Cancelling…</source>
            <translation>Cancelling…</translation>
        </message>
        <message>
            <source>Done. Before: %1, after: %2 — %3 given back to this computer.</source>
            <translation>Done. Before: %1, after: %2 — %3 given back to this computer.</translation>
        </message>
        <message>
            <source>Cancelled. The disk was not changed.</source>
            <translation>Cancelled. The disk was not changed.</translation>
        </message>
        <message>
            <source>The disk could not be shrunk, and it was not changed: %1</source>
            <translation>The disk could not be shrunk, and it was not changed: %1</translation>
        </message>
    </context>
    <context>
        <name>SourcePage</name>
        <message>
            <source>Browse…</source>
            <translation>Browse…</translation>
        </message>
        <message>
            <source>Choose the %1 with Browse…, or type its path.</source>
            <translation>Choose the %1 with Browse…, or type its path.</translation>
        </message>
        <message>
            <source>The file "%1" does not exist. Check the name or pick it with Browse….</source>
            <translation>The file "%1" does not exist. Check the name or pick it with Browse….</translation>
        </message>
        <message>
            <source>"%1" is a folder; choose the %2 file inside it.</source>
            <translation>"%1" is a folder; choose the %2 file inside it.</translation>
        </message>
        <message>
            <source>You are not allowed to read "%1".</source>
            <translation>You are not allowed to read "%1".</translation>
        </message>
        <message>
            <source>The file "%1" is empty.</source>
            <translation>The file "%1" is empty.</translation>
        </message>
        <message>
            <source>What do you want to run?</source>
            <translation>What do you want to run?</translation>
        </message>
        <message>
            <source>Pick what the new virtual machine starts from. You can change this later in its settings.</source>
            <translation>Pick what the new virtual machine starts from. You can change this later in its settings.</translation>
        </message>
        <message>
            <source>Installer disc (ISO)</source>
            <translation>Installer disc (ISO)</translation>
        </message>
        <message>
            <source>Install an operating system from a CD/DVD image, like a real computer.</source>
            <translation>Install an operating system from a CD/DVD image, like a real computer.</translation>
        </message>
        <message>
            <source>Linux kernel and initrd</source>
            <translation>Linux kernel and initrd</translation>
        </message>
        <message>
            <source>Start a kernel directly, for kernel development or small systems.</source>
            <translation>Start a kernel directly, for kernel development or small systems.</translation>
        </message>
        <message>
            <source>Existing disk image</source>
            <translation>Existing disk image</translation>
        </message>
        <message>
            <source>Use a qcow2 or raw disk that already has a system installed.</source>
            <translation>Use a qcow2 or raw disk that already has a system installed.</translation>
        </message>
        <message>
            <source>Download from the internet</source>
            <translation>Download from the internet</translation>
        </message>
        <message>
            <source>Fetch an installer or disk image from a web address into the VM's folder.</source>
            <translation>Fetch an installer or disk image from a web address into the VM's folder.</translation>
        </message>
        <message>
            <source>for example debian-13-netinst-riscv64.iso</source>
            <translation>for example debian-13-netinst-riscv64.iso</translation>
        </message>
        <message>
            <source>optional</source>
            <translation>optional</translation>
        </message>
        <message>
            <source>Linked clone: keep the original image unchanged and store changes in the VM</source>
            <translation>Linked clone: keep the original image unchanged and store changes in the VM</translation>
        </message>
        <message>
            <source>optional: 64 hexadecimal digits from the download page</source>
            <translation>optional: 64 hexadecimal digits from the download page</translation>
        </message>
        <message>
            <source>Disc image:</source>
            <translation>Disc image:</translation>
        </message>
        <message>
            <source>Choose an installer disc</source>
            <translation>Choose an installer disc</translation>
        </message>
        <message>
            <source>Disc images (*.iso *.img);;All files (*)</source>
            <translation>Disc images (*.iso *.img);;All files (*)</translation>
        </message>
        <message>
            <source>Kernel:</source>
            <translation>Kernel:</translation>
        </message>
        <message>
            <source>Choose a kernel</source>
            <translation>Choose a kernel</translation>
        </message>
        <message>
            <source>Kernels (Image* vmlinu* *.elf *.bin *.efi);;All files (*)</source>
            <translation>Kernels (Image* vmlinu* *.elf *.bin *.efi);;All files (*)</translation>
        </message>
        <message>
            <source>Initrd:</source>
            <translation>Initrd:</translation>
        </message>
        <message>
            <source>Choose an initial RAM disk</source>
            <translation>Choose an initial RAM disk</translation>
        </message>
        <message>
            <source>All files (*)</source>
            <translation>All files (*)</translation>
        </message>
        <message>
            <source>Command line:</source>
            <translation>Command line:</translation>
        </message>
        <message>
            <source>Disk image:</source>
            <translation>Disk image:</translation>
        </message>
        <message>
            <source>Choose a disk image</source>
            <translation>Choose a disk image</translation>
        </message>
        <message>
            <source>Disk images (*.qcow2 *.img *.raw);;All files (*)</source>
            <translation>Disk images (*.qcow2 *.img *.raw);;All files (*)</translation>
        </message>
        <message>
            <source>Address:</source>
            <translation>Address:</translation>
        </message>
        <message>
            <source>SHA-256:</source>
            <translation>SHA-256:</translation>
        </message>
        <message>
            <source>disc image</source>
            <translation>disc image</translation>
        </message>
        <message>
            <source>kernel</source>
            <translation>kernel</translation>
        </message>
        <message>
            <source>initrd</source>
            <translation>initrd</translation>
        </message>
        <message>
            <source>disk image</source>
            <translation>disk image</translation>
        </message>
        <message>
            <source>Type or paste the web address of the file to download.</source>
            <translation>Type or paste the web address of the file to download.</translation>
        </message>
        <message>
            <source>"%1" is not a web address. It should start with https://</source>
            <translation>"%1" is not a web address. It should start with https://</translation>
        </message>
        <message>
            <source>The address must end with a file name, like …/debian.iso</source>
            <translation>The address must end with a file name, like …/debian.iso</translation>
        </message>
        <message numerus="yes">
            <source>A SHA-256 checksum has exactly 64 characters 0-9 and a-f; this one has %n character(s).</source>
            <translation>
                <numerusform>A SHA-256 checksum has exactly 64 characters 0-9 and a-f; this one has %n character.</numerusform>
                <numerusform>A SHA-256 checksum has exactly 64 characters 0-9 and a-f; this one has %n characters.</numerusform>
            </translation>
        </message>
        <message>
            <source>Express install: install without questions</source>
            <translation>Express install: install without questions</translation>
        </message>
        <message>
            <source>optional, default: debian</source>
            <translation>optional, default: debian</translation>
        </message>
        <message>
            <source>lower case, for example alice</source>
            <translation>lower case, for example alice</translation>
        </message>
        <message>
            <source>stored only as a hash</source>
            <translation>stored only as a hash</translation>
        </message>
        <message>
            <source>optional: ssh-ed25519 AAAA… (your ~/.ssh/id_ed25519.pub)</source>
            <translation>optional: ssh-ed25519 AAAA… (your ~/.ssh/id_ed25519.pub)</translation>
        </message>
        <message>
            <source>Host name:</source>
            <translation>Host name:</translation>
        </message>
        <message>
            <source>User:</source>
            <translation>User:</translation>
        </message>
        <message>
            <source>Password:</source>
            <translation>Password:</translation>
        </message>
        <message>
            <source>SSH public key:</source>
            <translation>SSH public key:</translation>
        </message>
        <message>
            <source>When it is done, eject the disc and restart from the disk</source>
            <translation>When it is done, eject the disc and restart from the disk</translation>
        </message>
    </context>
    <context>
        <name>SummaryPage</name>
        <message>
            <source>Ready to create</source>
            <translation>Ready to create</translation>
        </message>
        <message>
            <source>Check the summary, give the VM a name, and press Create.</source>
            <translation>Check the summary, give the VM a name, and press Create.</translation>
        </message>
        <message>
            <source>Start the VM now</source>
            <translation>Start the VM now</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Name:</translation>
        </message>
        <message>
            <source>Equivalent QEMU command:</source>
            <translation>Equivalent QEMU command:</translation>
        </message>
        <message>
            <source>%1 Linux</source>
            <translation>%1 Linux</translation>
        </message>
        <message>
            <source>Architecture</source>
            <translation>Architecture</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Memory</translation>
        </message>
        <message>
            <source>CPUs</source>
            <translation>CPUs</translation>
        </message>
        <message>
            <source>CD/DVD</source>
            <translation>CD/DVD</translation>
        </message>
        <message>
            <source>Kernel</source>
            <translation>Kernel</translation>
        </message>
        <message>
            <source> (copied into the VM)</source>
            <translation> (copied into the VM)</translation>
        </message>
        <message>
            <source>Initrd</source>
            <translation>Initrd</translation>
        </message>
        <message>
            <source>Command line</source>
            <translation>Command line</translation>
        </message>
        <message>
            <source>linked to %1</source>
            <translation>linked to %1</translation>
        </message>
        <message>
            <source>new, up to %1</source>
            <translation>new, up to %1</translation>
        </message>
        <message>
            <source>Disk</source>
            <translation>Disk</translation>
        </message>
        <message>
            <source>none</source>
            <translation>none</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>Network</translation>
        </message>
        <message>
            <source>no internet</source>
            <translation>no internet</translation>
        </message>
        <message>
            <source>NAT (internet through this computer)</source>
            <translation>NAT (internet through this computer)</translation>
        </message>
        <message>
            <source>Port forwards</source>
            <translation>Port forwards</translation>
        </message>
        <message>
            <source>Folder</source>
            <translation>Folder</translation>
        </message>
        <message>
            <source>Please choose another name: %1.</source>
            <translation>Please choose another name: %1.</translation>
        </message>
        <message>
            <source>A VM called "%1" already exists. Please choose another name.</source>
            <translation>A VM called "%1" already exists. Please choose another name.</translation>
        </message>
        <message>
            <source>The VM could not be created: %1</source>
            <translation>The VM could not be created: %1</translation>
        </message>
    </context>
    <context>
        <name>VmCardDelegate</name>
        <message>
            <source>never run</source>
            <translation>never run</translation>
        </message>
        <message>
            <source>ran just now</source>
            <translation>ran just now</translation>
        </message>
        <message numerus="yes">
            <source>ran %n minute(s) ago</source>
            <translation>
                <numerusform>ran %n minute ago</numerusform>
                <numerusform>ran %n minutes ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>ran %n hour(s) ago</source>
            <translation>
                <numerusform>ran %n hour ago</numerusform>
                <numerusform>ran %n hours ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>ran %n day(s) ago</source>
            <translation>
                <numerusform>ran %n day ago</numerusform>
                <numerusform>ran %n days ago</numerusform>
            </translation>
        </message>
        <message>
            <source>ran on %1</source>
            <translation>ran on %1</translation>
        </message>
        <message>
            <source>Cannot be opened</source>
            <translation>Cannot be opened</translation>
        </message>
        <message>
            <source>No screenshot yet</source>
            <translation>No screenshot yet</translation>
        </message>
        <message numerus="yes">
            <source>%1 · %n CPU(s)</source>
            <translation>
                <numerusform>%1 · %n CPU</numerusform>
                <numerusform>%1 · %n CPUs</numerusform>
            </translation>
        </message>
        <message>
            <source>Disk %1 used of %2</source>
            <translation>Disk %1 used of %2</translation>
        </message>
        <message>
            <source>No disk</source>
            <translation>No disk</translation>
        </message>
        <message numerus="yes">
            <source>%n unknown key(s)</source>
            <translation>
                <numerusform>%n unknown key</numerusform>
                <numerusform>%n unknown keys</numerusform>
            </translation>
        </message>
        <message>
            <source>SSH port %1</source>
            <translation>SSH port %1</translation>
        </message>
    </context>
    <context>
        <name>VmLibraryModel</name>
        <message>
            <source>Stopped</source>
            <translation>Stopped</translation>
        </message>
        <message>
            <source>Running</source>
            <translation>Running</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>Paused</translation>
        </message>
        <message>
            <source>Broken</source>
            <translation>Broken</translation>
        </message>
        <message>
            <source>This VM cannot be opened: %1</source>
            <translation>This VM cannot be opened: %1</translation>
        </message>
        <message>
            <source>Unknown setting "%1" in config.json has no effect</source>
            <translation>Unknown setting "%1" in config.json has no effect</translation>
        </message>
        <message>
            <source>; did you mean "%1"?</source>
            <translation>; did you mean "%1"?</translation>
        </message>
        <message>
            <source>Linked clone of %1</source>
            <translation>Linked clone of %1</translation>
        </message>
        <message numerus="yes">
            <source>Base of %n linked clone(s)</source>
            <translation>
                <numerusform>Base of %n linked clone</numerusform>
                <numerusform>Base of %n linked clones</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>VmRunner</name>
        <message>
            <source>The guest powered off (exit code %1).</source>
            <translation>The guest powered off (exit code %1).</translation>
        </message>
        <message>
            <source>The guest asked for a reset.</source>
            <translation>The guest asked for a reset.</translation>
        </message>
        <message>
            <source>The time limit was reached.</source>
            <translation>The time limit was reached.</translation>
        </message>
        <message>
            <source>The VM was powered off.</source>
            <translation>The VM was powered off.</translation>
        </message>
        <message>
            <source>The emulator stopped: %1</source>
            <translation>The emulator stopped: %1</translation>
        </message>
        <message>
            <source>Files this VM needs are missing. %1 Put them back, or change the VM's Settings.</source>
            <translation>Files this VM needs are missing. %1 Put them back, or change the VM's Settings.</translation>
        </message>
        <message>
            <source>The installation finished, but the VM could not be switched to its disk: %1</source>
            <translation>The installation finished, but the VM could not be switched to its disk: %1</translation>
        </message>
    </context>
    <context>
        <name>VmSettingsDialog</name>
        <message>
            <source>Settings of %1</source>
            <translation>Settings of %1</translation>
        </message>
        <message>
            <source> MiB</source>
            <translation> MiB</translation>
        </message>
        <message>
            <source>for example: console=ttyS0 root=/dev/vda rw</source>
            <translation>for example: console=ttyS0 root=/dev/vda rw</translation>
        </message>
        <message>
            <source>no disc inserted</source>
            <translation>no disc inserted</translation>
        </message>
        <message>
            <source>Screen and serial console</source>
            <translation>Screen and serial console</translation>
        </message>
        <message>
            <source>Serial console only</source>
            <translation>Serial console only</translation>
        </message>
        <message>
            <source>Hardware</source>
            <translation>Hardware</translation>
        </message>
        <message>
            <source>Architecture:</source>
            <translation>Architecture:</translation>
        </message>
        <message>
            <source>Memory:</source>
            <translation>Memory:</translation>
        </message>
        <message>
            <source>CPUs:</source>
            <translation>CPUs:</translation>
        </message>
        <message>
            <source>Display:</source>
            <translation>Display:</translation>
        </message>
        <message>
            <source>Boot</source>
            <translation>Boot</translation>
        </message>
        <message>
            <source>Kernel:</source>
            <translation>Kernel:</translation>
        </message>
        <message>
            <source>Choose a kernel</source>
            <translation>Choose a kernel</translation>
        </message>
        <message>
            <source>Initrd:</source>
            <translation>Initrd:</translation>
        </message>
        <message>
            <source>Choose an initial RAM disk</source>
            <translation>Choose an initial RAM disk</translation>
        </message>
        <message>
            <source>Command line:</source>
            <translation>Command line:</translation>
        </message>
        <message>
            <source>CD/DVD:</source>
            <translation>CD/DVD:</translation>
        </message>
        <message>
            <source>Choose a disc image</source>
            <translation>Choose a disc image</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>Network</translation>
        </message>
        <message>
            <source>Connect to the internet through this computer (NAT)</source>
            <translation>Connect to the internet through this computer (NAT)</translation>
        </message>
        <message>
            <source>Port forwards (reach a service in the VM from this computer):</source>
            <translation>Port forwards (reach a service in the VM from this computer):</translation>
        </message>
        <message>
            <source>Could not save the settings: %1</source>
            <translation>Could not save the settings: %1</translation>
        </message>
        <message numerus="yes">
            <source>This VM was set to %n CPU(s); it can start with at most %1.</source>
            <translation>
                <numerusform>This VM was set to %n CPU; it can start with at most %1.</numerusform>
                <numerusform>This VM was set to %n CPUs; it can start with at most %1.</numerusform>
            </translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Name:</translation>
        </message>
        <message>
            <source>Disks</source>
            <translation>Disks</translation>
        </message>
        <message>
            <source>The VM cannot be renamed: %1</source>
            <translation>The VM cannot be renamed: %1</translation>
        </message>
        <message>
            <source>The VM is running: shut it down to add or remove disks.</source>
            <translation>The VM is running: shut it down to add or remove disks.</translation>
        </message>
        <message>
            <source>The new disk could not be created: %1</source>
            <translation>The new disk could not be created: %1</translation>
        </message>
        <message>
            <source>The settings were saved, but the VM could not be renamed: %1</source>
            <translation>The settings were saved, but the VM could not be renamed: %1</translation>
        </message>
    </context>
    <context>
        <name>VmStoppedBanner</name>
        <message>
            <source>Start</source>
            <translation>Start</translation>
        </message>
        <message>
            <source>The VM has stopped. %1</source>
            <translation>The VM has stopped. %1</translation>
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
            <translation>Machine</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pause</translation>
        </message>
        <message>
            <source>Power Off</source>
            <translation>Power Off</translation>
        </message>
        <message>
            <source>Power off %1?</source>
            <translation>Power off %1?</translation>
        </message>
        <message>
            <source>Powering off is like pulling the plug: unsaved work in the VM is lost.</source>
            <translation>Powering off is like pulling the plug: unsaved work in the VM is lost.</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>Resume</translation>
        </message>
        <message>
            <source>%1 is running</source>
            <translation>%1 is running</translation>
        </message>
        <message>
            <source>Display</source>
            <translation>Display</translation>
        </message>
        <message>
            <source>Serial Console</source>
            <translation>Serial Console</translation>
        </message>
        <message>
            <source>%1 MIPS</source>
            <translation>%1 MIPS</translation>
        </message>
        <message>
            <source>Stop the guest's clock and processor until you resume</source>
            <translation>Stop the guest's clock and processor until you resume</translation>
        </message>
        <message>
            <source>Reset</source>
            <translation>Reset</translation>
        </message>
        <message>
            <source>Restart the VM at once, like a reset button</source>
            <translation>Restart the VM at once, like a reset button</translation>
        </message>
        <message>
            <source>Reset %1?</source>
            <translation>Reset %1?</translation>
        </message>
        <message>
            <source>Resetting restarts the VM at once: unsaved work in the VM is lost.</source>
            <translation>Resetting restarts the VM at once: unsaved work in the VM is lost.</translation>
        </message>
        <message>
            <source>Shut Down</source>
            <translation>Shut Down</translation>
        </message>
        <message>
            <source>Press the VM's power button; the guest decides whether to shut down</source>
            <translation>Press the VM's power button; the guest decides whether to shut down</translation>
        </message>
        <message>
            <source>Stop the VM at once, like pulling the plug</source>
            <translation>Stop the VM at once, like pulling the plug</translation>
        </message>
        <message>
            <source>Screenshot…</source>
            <translation>Screenshot…</translation>
        </message>
        <message>
            <source>Change Disc…</source>
            <translation>Change Disc…</translation>
        </message>
        <message>
            <source>Eject</source>
            <translation>Eject</translation>
        </message>
        <message>
            <source>The disc could not be ejected</source>
            <translation>The disc could not be ejected</translation>
        </message>
        <message>
            <source>Port Forwards…</source>
            <translation>Port Forwards…</translation>
        </message>
        <message>
            <source>Fit to Window</source>
            <translation>Fit to Window</translation>
        </message>
        <message>
            <source>Integer Scaling (Sharp Pixels)</source>
            <translation>Integer Scaling (Sharp Pixels)</translation>
        </message>
        <message>
            <source>Full Screen</source>
            <translation>Full Screen</translation>
        </message>
        <message>
            <source>Full screen (F11, or Ctrl+Alt+F while the VM has the keyboard)</source>
            <translation>Full screen (F11, or Ctrl+Alt+F while the VM has the keyboard)</translation>
        </message>
        <message>
            <source>&amp;Machine</source>
            <translation>&amp;Machine</translation>
        </message>
        <message>
            <source>Close Window</source>
            <translation>Close Window</translation>
        </message>
        <message>
            <source>&amp;Devices</source>
            <translation>&amp;Devices</translation>
        </message>
        <message>
            <source>CD-ROM</source>
            <translation>CD-ROM</translation>
        </message>
        <message>
            <source>Send &amp;Key</source>
            <translation>Send &amp;Key</translation>
        </message>
        <message>
            <source>The keys could not be sent</source>
            <translation>The keys could not be sent</translation>
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
            <translation>&amp;View</translation>
        </message>
        <message>
            <source>This VM has no display and no keyboard</source>
            <translation>This VM has no display and no keyboard</translation>
        </message>
        <message>
            <source>Send Key</source>
            <translation>Send Key</translation>
        </message>
        <message>
            <source>No network</source>
            <translation>No network</translation>
        </message>
        <message>
            <source>This VM has no network card</source>
            <translation>This VM has no network card</translation>
        </message>
        <message>
            <source>No disc</source>
            <translation>No disc</translation>
        </message>
        <message>
            <source>CD: %1</source>
            <translation>CD: %1</translation>
        </message>
        <message>
            <source>No disc in the drive</source>
            <translation>No disc in the drive</translation>
        </message>
        <message>
            <source>In the drive: %1</source>
            <translation>In the drive: %1</translation>
        </message>
        <message>
            <source>Network: connected</source>
            <translation>Network: connected</translation>
        </message>
        <message>
            <source>Network: cable unplugged</source>
            <translation>Network: cable unplugged</translation>
        </message>
        <message>
            <source>Press Ctrl+Alt+G to release the keyboard</source>
            <translation>Press Ctrl+Alt+G to release the keyboard</translation>
        </message>
        <message>
            <source>Click the screen to type into the VM</source>
            <translation>Click the screen to type into the VM</translation>
        </message>
        <message>
            <source>%1 does not exist or is not a file.</source>
            <translation>%1 does not exist or is not a file.</translation>
        </message>
        <message>
            <source>Insert a Disc</source>
            <translation>Insert a Disc</translation>
        </message>
        <message>
            <source>CD/DVD images (*.iso *.img);;All files (*)</source>
            <translation>CD/DVD images (*.iso *.img);;All files (*)</translation>
        </message>
        <message>
            <source>The disc could not be inserted</source>
            <translation>The disc could not be inserted</translation>
        </message>
        <message>
            <source>Some port forwards could not be set up</source>
            <translation>Some port forwards could not be set up</translation>
        </message>
        <message>
            <source>%1

The other forwards are active. Another program may use that host port: choose a different one.</source>
            <translation>%1

The other forwards are active. Another program may use that host port: choose a different one.</translation>
        </message>
        <message>
            <source>Cannot write %1.</source>
            <translation>Cannot write %1.</translation>
        </message>
        <message>
            <source>%1 %2.png</source>
            <translation>%1 %2.png</translation>
        </message>
        <message>
            <source>Save Screenshot</source>
            <translation>Save Screenshot</translation>
        </message>
        <message>
            <source>PNG images (*.png)</source>
            <translation>PNG images (*.png)</translation>
        </message>
        <message>
            <source>The screenshot could not be saved</source>
            <translation>The screenshot could not be saved</translation>
        </message>
        <message>
            <source>The VM has no keyboard or is not running.</source>
            <translation>The VM has no keyboard or is not running.</translation>
        </message>
        <message>
            <source>Unknown key combination: %1</source>
            <translation>Unknown key combination: %1</translation>
        </message>
        <message>
            <source>Power off the VM, or keep it running without its window? Open Window in the library brings the window back.</source>
            <translation>Power off the VM, or keep it running without its window? Open Window in the library brings the window back.</translation>
        </message>
        <message>
            <source>Keep Running</source>
            <translation>Keep Running</translation>
        </message>
        <message>
            <source>The VM's power button was pressed. If the guest does not shut down, use Power Off.</source>
            <translation>The VM's power button was pressed. If the guest does not shut down, use Power Off.</translation>
        </message>
        <message>
            <source>Resize Guest with Window</source>
            <translation>Resize Guest with Window</translation>
        </message>
        <message>
            <source>Offer the window's size to the guest as its screen resolution (guests with a desktop follow it; a text console keeps its size)</source>
            <translation>Offer the window's size to the guest as its screen resolution (guests with a desktop follow it; a text console keeps its size)</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>Start</translation>
        </message>
        <message>
            <source>Start the VM again, with the settings it has now</source>
            <translation>Start the VM again, with the settings it has now</translation>
        </message>
        <message>
            <source>The VM cannot be asked to shut down: %1. Use Power Off.</source>
            <translation>The VM cannot be asked to shut down: %1. Use Power Off.</translation>
        </message>
        <message>
            <source>Cannot start %1</source>
            <translation>Cannot start %1</translation>
        </message>
        <message>
            <source>Network: off</source>
            <translation>Network: off</translation>
        </message>
        <message>
            <source>Idle</source>
            <translation>Idle</translation>
        </message>
        <message>
            <source>%1

Last second: %2 million instructions per second; the processor was busy %3% of the time.</source>
            <translation>%1

Last second: %2 million instructions per second; the processor was busy %3% of the time.</translation>
        </message>
        <message>
            <source>Speed of the emulated processor: millions of guest instructions run per second (MIPS). When the guest has nothing to do it waits for an interrupt and Tessera lets it sleep, so the figure drops and the status bar says Idle: that is not slowness.</source>
            <translation>Speed of the emulated processor: millions of guest instructions run per second (MIPS). When the guest has nothing to do it waits for an interrupt and Tessera lets it sleep, so the figure drops and the status bar says Idle: that is not slowness.</translation>
        </message>
        <message>
            <source>There is no disc in the drive</source>
            <translation>There is no disc in the drive</translation>
        </message>
        <message>
            <source>Paused: keys typed now are not sent to the VM</source>
            <translation>Paused: keys typed now are not sent to the VM</translation>
        </message>
        <message>
            <source>The installation has finished: Tessera ejected the installer disc and starts the VM from its disk.</source>
            <translation>The installation has finished: Tessera ejected the installer disc and starts the VM from its disk.</translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Tessera runs virtual machines of other CPU architectures (RISC-V 64) on this computer.</source>
            <translation>Tessera runs virtual machines of other CPU architectures (RISC-V 64) on this computer.</translation>
        </message>
    </context>
    <context>
        <name>tessera::ui</name>
        <message>
            <source>Copy SSH Command</source>
            <translation>Copy SSH Command</translation>
        </message>
        <message>
            <source>Copy the command that logs in to the VM over its forwarded SSH port</source>
            <translation>Copy the command that logs in to the VM over its forwarded SSH port</translation>
        </message>
        <message>
            <source>This VM forwards no host port to its port 22 (SSH). Add one with Port Forwards, e.g. host port 2222 to guest port 22.</source>
            <translation>This VM forwards no host port to its port 22 (SSH). Add one with Port Forwards, e.g. host port 2222 to guest port 22.</translation>
        </message>
        <message>
            <source>Copied "%1": paste it into a terminal once the VM's SSH server runs.</source>
            <translation>Copied "%1": paste it into a terminal once the VM's SSH server runs.</translation>
        </message>
    </context>
    <context>
        <name>tessera::ui::PortConflictPrompt</name>
        <message>
            <source>Host port %1 is already used by another program.</source>
            <translation>Host port %1 is already used by another program.</translation>
        </message>
        <message>
            <source>Host port %1 is already used by the VM “%2”, which is running.</source>
            <translation>Host port %1 is already used by the VM “%2”, which is running.</translation>
        </message>
        <message>
            <source>Port %1 is free.</source>
            <translation>Port %1 is free.</translation>
        </message>
        <message>
            <source>No free port was found near it.</source>
            <translation>No free port was found near it.</translation>
        </message>
        <message>
            <source>%1 cannot use its port forwards</source>
            <translation>%1 cannot use its port forwards</translation>
        </message>
        <message>
            <source>Start the VM with the free port instead? The change is kept in its settings.</source>
            <translation>Start the VM with the free port instead? The change is kept in its settings.</translation>
        </message>
        <message>
            <source>Use Port %1</source>
            <translation>Use Port %1</translation>
        </message>
        <message>
            <source>Use the Free Ports</source>
            <translation>Use the Free Ports</translation>
        </message>
        <message>
            <source>The settings could not be saved</source>
            <translation>The settings could not be saved</translation>
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
            <translation>Print Screen</translation>
        </message>
    </context>
    <context>
        <name>tessera::vm</name>
        <message>
            <source>ELF file for an unknown machine (e_machine %1)</source>
            <translation>ELF file for an unknown machine (e_machine %1)</translation>
        </message>
        <message>
            <source>ELF executable for %1</source>
            <translation>ELF executable for %1</translation>
        </message>
        <message>
            <source>Linux kernel Image for RISC-V</source>
            <translation>Linux kernel Image for RISC-V</translation>
        </message>
        <message>
            <source>Linux kernel Image for ARM64</source>
            <translation>Linux kernel Image for ARM64</translation>
        </message>
        <message>
            <source>PE/EFI program for an unknown machine (0x%1)</source>
            <translation>PE/EFI program for an unknown machine (0x%1)</translation>
        </message>
        <message>
            <source>EFI/PE program for %1</source>
            <translation>EFI/PE program for %1</translation>
        </message>
        <message>
            <source>installer disc with the EFI loader %1</source>
            <translation>installer disc with the EFI loader %1</translation>
        </message>
        <message>
            <source>installer disc with a PowerPC boot folder (/ppc)</source>
            <translation>installer disc with a PowerPC boot folder (/ppc)</translation>
        </message>
        <message>
            <source>disc label "%1"</source>
            <translation>disc label "%1"</translation>
        </message>
        <message>
            <source>PC (BIOS) bootable disc</source>
            <translation>PC (BIOS) bootable disc</translation>
        </message>
        <message>
            <source>PowerPC bootable disc</source>
            <translation>PowerPC bootable disc</translation>
        </message>
        <message>
            <source>CD/DVD image "%1" without a recognisable boot loader</source>
            <translation>CD/DVD image "%1" without a recognisable boot loader</translation>
        </message>
        <message>
            <source>cannot read the file: %1</source>
            <translation>cannot read the file: %1</translation>
        </message>
        <message>
            <source>guessed from the file name only</source>
            <translation>guessed from the file name only</translation>
        </message>
        <message>
            <source>RISC-V 64-bit</source>
            <translation>RISC-V 64-bit</translation>
        </message>
        <message>
            <source>RISC-V 32-bit</source>
            <translation>RISC-V 32-bit</translation>
        </message>
        <message>
            <source>ARM 64-bit</source>
            <translation>ARM 64-bit</translation>
        </message>
        <message>
            <source>ARM 32-bit</source>
            <translation>ARM 32-bit</translation>
        </message>
        <message>
            <source>PowerPC 32-bit</source>
            <translation>PowerPC 32-bit</translation>
        </message>
        <message>
            <source>PowerPC 64-bit</source>
            <translation>PowerPC 64-bit</translation>
        </message>
        <message>
            <source>x86 64-bit</source>
            <translation>x86 64-bit</translation>
        </message>
        <message>
            <source>x86 32-bit</source>
            <translation>x86 32-bit</translation>
        </message>
        <message>
            <source>MIPS 32-bit</source>
            <translation>MIPS 32-bit</translation>
        </message>
        <message>
            <source>MIPS 64-bit (little-endian)</source>
            <translation>MIPS 64-bit (little-endian)</translation>
        </message>
        <message>
            <source>IBM Z (s390x)</source>
            <translation>IBM Z (s390x)</translation>
        </message>
        <message>
            <source>SPARC 64-bit</source>
            <translation>SPARC 64-bit</translation>
        </message>
        <message>
            <source>Motorola 68000</source>
            <translation>Motorola 68000</translation>
        </message>
        <message numerus="yes">
            <source>This VM is set to %n CPU(s), but this version of Tessera runs VMs with at most %1. Lower the number of CPUs in the VM's Settings.</source>
            <translation>
                <numerusform>This VM is set to %n CPU, but this version of Tessera runs VMs with at most %1. Lower the number of CPUs in the VM's Settings.</numerusform>
                <numerusform>This VM is set to %n CPUs, but this version of Tessera runs VMs with at most %1. Lower the number of CPUs in the VM's Settings.</numerusform>
            </translation>
        </message>
        <message>
            <source> (through its backing file %1)</source>
            <translation> (through its backing file %1)</translation>
        </message>
        <message>
            <source>disk "%1"%2 uses the backing file %3, which lies outside the VM folder. An image from elsewhere can name any file on this computer and show it to the VM, so Tessera does not open it until you allow that file.</source>
            <translation>disk "%1"%2 uses the backing file %3, which lies outside the VM folder. An image from elsewhere can name any file on this computer and show it to the VM, so Tessera does not open it until you allow that file.</translation>
        </message>
        <message>
            <source>The disk image %1 is not in %2.</source>
            <translation>The disk image %1 is not in %2.</translation>
        </message>
        <message>
            <source>The CD/DVD image %1 is not in %2.</source>
            <translation>The CD/DVD image %1 is not in %2.</translation>
        </message>
        <message>
            <source>The kernel %1 is not in %2.</source>
            <translation>The kernel %1 is not in %2.</translation>
        </message>
        <message>
            <source>The initrd %1 is not in %2.</source>
            <translation>The initrd %1 is not in %2.</translation>
        </message>
        <message>
            <source>The firmware %1 is not in %2.</source>
            <translation>The firmware %1 is not in %2.</translation>
        </message>
        <message>
            <source>Tessera uses its own emulator, not KVM</source>
            <translation>Tessera uses its own emulator, not KVM</translation>
        </message>
        <message>
            <source>Tessera uses its own emulator</source>
            <translation>Tessera uses its own emulator</translation>
        </message>
        <message>
            <source>Tessera chooses the CPU model for the board</source>
            <translation>Tessera chooses the CPU model for the board</translation>
        </message>
        <message>
            <source>the guest clock always follows the host clock</source>
            <translation>the guest clock always follows the host clock</translation>
        </message>
        <message>
            <source>not configurable yet</source>
            <translation>not configurable yet</translation>
        </message>
        <message>
            <source>Tessera has no QEMU monitor</source>
            <translation>Tessera has no QEMU monitor</translation>
        </message>
        <message>
            <source>Tessera shows the screen in its own window</source>
            <translation>Tessera shows the screen in its own window</translation>
        </message>
        <message>
            <source>Tessera picks the display device for the board</source>
            <translation>Tessera picks the display device for the board</translation>
        </message>
        <message>
            <source>the keyboard layout comes from the host</source>
            <translation>the keyboard layout comes from the host</translation>
        </message>
        <message>
            <source>USB is not emulated</source>
            <translation>USB is not emulated</translation>
        </message>
        <message>
            <source>throw-away sessions are not supported yet</source>
            <translation>throw-away sessions are not supported yet</translation>
        </message>
        <message>
            <source>not applicable to a desktop app</source>
            <translation>not applicable to a desktop app</translation>
        </message>
        <message>
            <source>use View → Full Screen in the VM window</source>
            <translation>use View → Full Screen in the VM window</translation>
        </message>
        <message>
            <source>not applicable</source>
            <translation>not applicable</translation>
        </message>
        <message>
            <source>logs go into the VM's logs folder</source>
            <translation>logs go into the VM's logs folder</translation>
        </message>
        <message>
            <source>no watchdog device</source>
            <translation>no watchdog device</translation>
        </message>
        <message>
            <source>no sound device</source>
            <translation>no sound device</translation>
        </message>
        <message>
            <source>Only the first network card is attached; this machine has one virtio-net slot.</source>
            <translation>Only the first network card is attached; this machine has one virtio-net slot.</translation>
        </message>
        <message>
            <source>"%1"</source>
            <translation>"%1"</translation>
        </message>
        <message>
            <source>, </source>
            <translation>, </translation>
        </message>
        <message numerus="yes">
            <source>"%1" is the original of %n linked clone(s) (%2): they store only their own changes and read everything else from its disk. Starting it would change that disk under them and damage them. Start a clone instead, or make the clones independent copies first.</source>
            <translation>
                <numerusform>"%1" is the original of %n linked clone (%2): they store only their own changes and read everything else from its disk. Starting it would change that disk under them and damage them. Start a clone instead, or make the clones independent copies first.</numerusform>
                <numerusform>"%1" is the original of %n linked clones (%2): they store only their own changes and read everything else from its disk. Starting it would change that disk under them and damage them. Start a clone instead, or make the clones independent copies first.</numerusform>
            </translation>
        </message>
        <message>
            <source>cannot replace %1: %2</source>
            <translation>cannot replace %1: %2</translation>
        </message>
        <message>
            <source>No bootable disc or disk was found: %1 (see the Serial Console). Insert an installer disc with Change Disc… or add a disk with an operating system, then restart the VM.</source>
            <translation>No bootable disc or disk was found: %1 (see the Serial Console). Insert an installer disc with Change Disc… or add a disk with an operating system, then restart the VM.</translation>
        </message>
        <message>
            <source>the UEFI firmware stopped in its shell</source>
            <translation>the UEFI firmware stopped in its shell</translation>
        </message>
        <message>
            <source>U-Boot stopped at its prompt</source>
            <translation>U-Boot stopped at its prompt</translation>
        </message>
        <message numerus="yes">
            <source>This VM has %n CPU(s) but this computer only %1 cores: the VM's CPUs take turns on them, so it runs slower than with %1 CPUs.</source>
            <translation>
                <numerusform>This VM has %n CPU but this computer only %1 cores: the VM's CPUs take turns on them, so it runs slower than with %1 CPUs.</numerusform>
                <numerusform>This VM has %n CPUs but this computer only %1 cores: the VM's CPUs take turns on them, so it runs slower than with %1 CPUs.</numerusform>
            </translation>
        </message>
        <message>
            <source>The host name may have letters, digits and '-' (not first), at most 63.</source>
            <translation>The host name may have letters, digits and '-' (not first), at most 63.</translation>
        </message>
        <message>
            <source>The user name must start with a lower-case letter and have only lower-case letters, digits, '-' and '_' (at most 32).</source>
            <translation>The user name must start with a lower-case letter and have only lower-case letters, digits, '-' and '_' (at most 32).</translation>
        </message>
        <message>
            <source>Give a password or an SSH public key: otherwise nobody can log in.</source>
            <translation>Give a password or an SSH public key: otherwise nobody can log in.</translation>
        </message>
        <message>
            <source>The SSH key is not an OpenSSH public key line (ssh-ed25519 AAAA... comment).</source>
            <translation>The SSH key is not an OpenSSH public key line (ssh-ed25519 AAAA... comment).</translation>
        </message>
        <message>
            <source>Cannot write the install answers %1: %2</source>
            <translation>Cannot write the install answers %1: %2</translation>
        </message>
        <message>
            <source>Power Mac boot disc (a blessed HFS+ volume)</source>
            <translation>Power Mac boot disc (a blessed HFS+ volume)</translation>
        </message>
        <message>
            <source>The Power Mac firmware (OpenBIOS, %1) is not installed: install Debian's qemu-system-data package.</source>
            <translation>The Power Mac firmware (OpenBIOS, %1) is not installed: install Debian's qemu-system-data package.</translation>
        </message>
        <message>
            <source>Tessera's emulator runs RISC-V 64-bit and PowerPC 32-bit (Power Mac, mac99) systems today. This VM is for %1 (board "%2"): it can be kept and shown as a QEMU command (Show QEMU Command), but not started in Tessera yet.</source>
            <translation>Tessera's emulator runs RISC-V 64-bit and PowerPC 32-bit (Power Mac, mac99) systems today. This VM is for %1 (board "%2"): it can be kept and shown as a QEMU command (Show QEMU Command), but not started in Tessera yet.</translation>
        </message>
        <message>
            <source>Tessera's emulator runs %1 systems on the "%2" board; this VM uses the "%3" board. It can be kept and shown as a QEMU command (Show QEMU Command), but not started in Tessera yet.</source>
            <translation>Tessera's emulator runs %1 systems on the "%2" board; this VM uses the "%3" board. It can be kept and shown as a QEMU command (Show QEMU Command), but not started in Tessera yet.</translation>
        </message>
        <message>
            <source>A Power Mac (mac99) has one CPU, but this VM is set to %1. Set CPUs to 1 in the VM's Settings.</source>
            <translation>A Power Mac (mac99) has one CPU, but this VM is set to %1. Set CPUs to 1 in the VM's Settings.</translation>
        </message>
        <message>
            <source>A Power Mac (mac99) takes from 32 MiB to 2047 MiB of memory, as QEMU's does; this VM is set to %1. Change the memory in the VM's Settings.</source>
            <translation>A Power Mac (mac99) takes from 32 MiB to 2047 MiB of memory, as QEMU's does; this VM is set to %1. Change the memory in the VM's Settings.</translation>
        </message>
        <message>
            <source>Only the first network card is attached; a Power Mac (mac99) has one e1000.</source>
            <translation>Only the first network card is attached; a Power Mac (mac99) has one e1000.</translation>
        </message>
        <message>
            <source>The RISC-V UEFI firmware (%1) is not installed: install Debian's qemu-efi-riscv64 package.</source>
            <translation>The RISC-V UEFI firmware (%1) is not installed: install Debian's qemu-efi-riscv64 package.</translation>
        </message>
        <message>
            <source>A Power Mac (mac99) has two disks at most, but this VM has %1. Remove all but two disks in the VM's Settings.</source>
            <translation>A Power Mac (mac99) has two disks at most, but this VM has %1. Remove all but two disks in the VM's Settings.</translation>
        </message>
    </context>
    <context>
        <name>tessera::vm::Importer</name>
        <message>
            <source>the command starts with "%1", but a QEMU virtual machine command starts with qemu-system-&lt;architecture&gt;, e.g. qemu-system-riscv64</source>
            <translation>the command starts with "%1", but a QEMU virtual machine command starts with qemu-system-&lt;architecture&gt;, e.g. qemu-system-riscv64</translation>
        </message>
        <message>
            <source>%1: Tessera does not know the "%2" architecture</source>
            <translation>%1: Tessera does not know the "%2" architecture</translation>
        </message>
        <message>
            <source>%1 (a disk image without an option)</source>
            <translation>%1 (a disk image without an option)</translation>
        </message>
        <message>
            <source>%1 (unknown option)</source>
            <translation>%1 (unknown option)</translation>
        </message>
        <message>
            <source>%1 needs a value after it</source>
            <translation>%1 needs a value after it</translation>
        </message>
        <message>
            <source>-m %1: memory must be a size like 512M or 2G</source>
            <translation>-m %1: memory must be a size like 512M or 2G</translation>
        </message>
        <message>
            <source>-smp %1: the CPU count must be a whole number</source>
            <translation>-smp %1: the CPU count must be a whole number</translation>
        </message>
        <message>
            <source>-machine %1=%2 (board properties are fixed in Tessera)</source>
            <translation>-machine %1=%2 (board properties are fixed in Tessera)</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>-drive %1=%2 (not supported)</source>
            <translation>-drive %1=%2 (not supported)</translation>
        </message>
        <message>
            <source>%1 (a drive without a file)</source>
            <translation>%1 (a drive without a file)</translation>
        </message>
        <message>
            <source>-boot %1 (boot device "%2" does not exist in Tessera)</source>
            <translation>-boot %1 (boot device "%2" does not exist in Tessera)</translation>
        </message>
        <message>
            <source>%1: %2=%3 (not supported)</source>
            <translation>%1: %2=%3 (not supported)</translation>
        </message>
        <message>
            <source>%1: only user-mode networking (NAT) exists in Tessera; "%2" became NAT</source>
            <translation>%1: only user-mode networking (NAT) exists in Tessera; "%2" became NAT</translation>
        </message>
        <message>
            <source>-netdev %1=%2 (not supported)</source>
            <translation>-netdev %1=%2 (not supported)</translation>
        </message>
        <message>
            <source>%1: "%2" became NAT</source>
            <translation>%1: "%2" became NAT</translation>
        </message>
        <message>
            <source>-nic %1=%2 (not supported)</source>
            <translation>-nic %1=%2 (not supported)</translation>
        </message>
        <message>
            <source>-net %1=%2 (not supported)</source>
            <translation>-net %1=%2 (not supported)</translation>
        </message>
        <message>
            <source>%1 (not in the form tcp:2222::22)</source>
            <translation>%1 (not in the form tcp:2222::22)</translation>
        </message>
        <message>
            <source>%1: the old -redir option became a port forward from 127.0.0.1:%2 to guest port %3</source>
            <translation>%1: the old -redir option became a port forward from 127.0.0.1:%2 to guest port %3</translation>
        </message>
        <message>
            <source>%1 (device not emulated by Tessera)</source>
            <translation>%1 (device not emulated by Tessera)</translation>
        </message>
        <message>
            <source>%1 (no -drive with id=%2)</source>
            <translation>%1 (no -drive with id=%2)</translation>
        </message>
        <message>
            <source>-drive file=%1 (never attached to a device)</source>
            <translation>-drive file=%1 (never attached to a device)</translation>
        </message>
        <message>
            <source>-drive file=%1 (Tessera has one CD-ROM drive)</source>
            <translation>-drive file=%1 (Tessera has one CD-ROM drive)</translation>
        </message>
        <message>
            <source>No network option: the VM gets QEMU's default, one network card with user-mode networking (NAT).</source>
            <translation>No network option: the VM gets QEMU's default, one network card with user-mode networking (NAT).</translation>
        </message>
        <message>
            <source>-netdev without a -device that uses it</source>
            <translation>-netdev without a -device that uses it</translation>
        </message>
        <message>
            <source>qemu-system-ppc without -M starts QEMU's g3beige; Tessera's PowerPC machine is the Power Mac "mac99", so the VM uses that.</source>
            <translation>qemu-system-ppc without -M starts QEMU's g3beige; Tessera's PowerPC machine is the Power Mac "mac99", so the VM uses that.</translation>
        </message>
        <message>
            <source>-smp %1 (a Power Mac (mac99) has one CPU; the VM gets 1)</source>
            <translation>-smp %1 (a Power Mac (mac99) has one CPU; the VM gets 1)</translation>
        </message>
        <message>
            <source>-m %1 (a Power Mac (mac99) takes at most 2047 MiB; the VM gets that)</source>
            <translation>-m %1 (a Power Mac (mac99) takes at most 2047 MiB; the VM gets that)</translation>
        </message>
        <message>
            <source>qemu-system-riscv64 without -M starts QEMU's spike; Tessera's RISC-V machine is "virt" (what RISC-V guides use with -M virt), so the VM uses that.</source>
            <translation>qemu-system-riscv64 without -M starts QEMU's spike; Tessera's RISC-V machine is "virt" (what RISC-V guides use with -M virt), so the VM uses that.</translation>
        </message>
        <message>
            <source>%1 (used when the command runs with tessera-cli qemu; a VM in the library does not keep it)</source>
            <translation>%1 (used when the command runs with tessera-cli qemu; a VM in the library does not keep it)</translation>
        </message>
        <message>
            <source>%1 (the serial console goes to the terminal (stdio), none or file:PATH)</source>
            <translation>%1 (the serial console goes to the terminal (stdio), none or file:PATH)</translation>
        </message>
        <message>
            <source>%1: QEMU listens on all network interfaces; Tessera listens on 127.0.0.1 only. If other computers must connect, use the address 0.0.0.0 (in the port-forward settings, or hostfwd=tcp:0.0.0.0:…).</source>
            <translation>%1: QEMU listens on all network interfaces; Tessera listens on 127.0.0.1 only. If other computers must connect, use the address 0.0.0.0 (in the port-forward settings, or hostfwd=tcp:0.0.0.0:…).</translation>
        </message>
        <message>
            <source>%1 (only -device loader,file=FILE,addr=ADDRESS, a raw file copied to memory)</source>
            <translation>%1 (only -device loader,file=FILE,addr=ADDRESS, a raw file copied to memory)</translation>
        </message>
    </context>
</TS>
