// LR/SC around device DMA (issue 10, item 10): a virtio-blk read that lands
// on the reserved doubleword makes the SC fail and leaves the disk's bytes
// there; a read elsewhere leaves the reservation alone. Needs a virtio-blk
// disk whose first sector is 0xa5 bytes (hostile_compare.py --disk). Each
// outcome is printed (hostile.h) and compared with QEMU's.
#include "hostile.h"

#define VIRTIO_BASE 0x10001000ul
#define VIRTIO_MAGIC 0x74726976u
enum {
    DEVICE_ID = 0x008,
    DRIVER_FEATURES = 0x020,
    DRIVER_FEATURES_SEL = 0x024,
    QUEUE_SEL = 0x030,
    QUEUE_NUM_MAX = 0x034,
    QUEUE_NUM = 0x038,
    QUEUE_READY = 0x044,
    QUEUE_NOTIFY = 0x050,
    STATUS = 0x070,
    QUEUE_DESC = 0x080,
    QUEUE_DRIVER = 0x090,
    QUEUE_DEVICE = 0x0a0,
};
enum { ACKNOWLEDGE = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8 };
enum { DESC_NEXT = 1, DESC_WRITE = 2 };
#define QUEUE_SIZE 4

struct desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};
static struct desc descs[QUEUE_SIZE] __attribute__((aligned(16)));
static volatile struct {
    uint16_t flags, idx, ring[QUEUE_SIZE], used_event;
} avail __attribute__((aligned(2)));
static volatile struct {
    uint16_t flags, idx;
    struct {
        uint32_t id, len;
    } ring[QUEUE_SIZE];
    uint16_t avail_event;
} used __attribute__((aligned(4)));
static struct {
    uint32_t type, reserved;
    uint64_t sector;
} header;
static volatile uint8_t request_status;
static uint8_t sector[512] __attribute__((aligned(64)));  // the DMA target
static volatile uint64_t elsewhere __attribute__((aligned(64)));
static uintptr_t blk;

static void reg_write(unsigned offset, uint64_t value) {
    MMIO32(blk + offset) = (uint32_t)value;
}
static void reg_write64(unsigned offset, uint64_t value) {
    reg_write(offset, value);
    reg_write(offset + 4, value >> 32);
}

static void init_blk(void) {
    for (uintptr_t slot = VIRTIO_BASE; slot < VIRTIO_BASE + 8 * 0x1000; slot += 0x1000)
        if (MMIO32(slot) == VIRTIO_MAGIC && MMIO32(slot + DEVICE_ID) == 2) blk = slot;
    CHECK(1, blk != 0);
    // Initialisation (virtio 1.2 §3.1.1): only VIRTIO_F_VERSION_1 (bit 32).
    reg_write(STATUS, 0);
    reg_write(STATUS, ACKNOWLEDGE | DRIVER);
    reg_write(DRIVER_FEATURES_SEL, 1);
    reg_write(DRIVER_FEATURES, 1);
    reg_write(DRIVER_FEATURES_SEL, 0);
    reg_write(DRIVER_FEATURES, 0);
    reg_write(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
    CHECK(2, MMIO32(blk + STATUS) & FEATURES_OK);
    reg_write(QUEUE_SEL, 0);
    CHECK(3, MMIO32(blk + QUEUE_NUM_MAX) >= QUEUE_SIZE);
    reg_write(QUEUE_NUM, QUEUE_SIZE);
    reg_write64(QUEUE_DESC, (uint64_t)descs);
    reg_write64(QUEUE_DRIVER, (uint64_t)&avail);
    reg_write64(QUEUE_DEVICE, (uint64_t)&used);
    reg_write(QUEUE_READY, 1);
    reg_write(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
}

// Reads sector 0 into `sector` by DMA and waits for the device.
static void read_sector(void) {
    header.type = 0;  // VIRTIO_BLK_T_IN
    header.sector = 0;
    descs[0] = (struct desc){(uint64_t)&header, sizeof header, DESC_NEXT, 1};
    descs[1] = (struct desc){(uint64_t)sector, sizeof sector, DESC_NEXT | DESC_WRITE, 2};
    descs[2] = (struct desc){(uint64_t)&request_status, 1, DESC_WRITE, 0};
    const uint16_t next = used.idx + 1;
    avail.ring[avail.idx % QUEUE_SIZE] = 0;
    __asm__ volatile("fence" ::: "memory");
    avail.idx = avail.idx + 1;
    __asm__ volatile("fence" ::: "memory");
    reg_write(QUEUE_NOTIFY, 0);
    for (unsigned long spin = 0; used.idx != next; ++spin) CHECK(4, spin < 100000000ul);
    CHECK(5, request_status == 0);
}

static uint64_t load_reserved(volatile uint64_t* at) {
    uint64_t value;
    __asm__ volatile("lr.d %0, (%1)" : "=r"(value) : "r"(at) : "memory");
    return value;
}
static uint64_t store_conditional(volatile uint64_t* at, uint64_t value) {
    uint64_t failed;
    __asm__ volatile("sc.d %0, %2, (%1)" : "=r"(failed) : "r"(at), "r"(value) : "memory");
    return failed;
}

int main(void) {
    putstr("hostile_dma\n");
    init_blk();
    volatile uint64_t* granule = (volatile uint64_t*)(sector + 64);

    // The device writes the reserved doubleword: the SC fails, the disk's bytes stay.
    *granule = 0x1111111111111111ul;
    (void)load_reserved(granule);
    read_sector();
    report_value("sc-after-dma-onto-reservation", store_conditional(granule, 0x2222222222222222ul) != 0);
    report_value("reserved-word-after", *granule);

    // The device writes elsewhere: the SC succeeds.
    elsewhere = 0x3333333333333333ul;
    (void)load_reserved(&elsewhere);
    read_sector();
    report_value("sc-after-dma-elsewhere", store_conditional(&elsewhere, 0x4444444444444444ul) != 0);
    report_value("reserved-word-after", elsewhere);
    putstr("DONE\n");
    pass();
}
