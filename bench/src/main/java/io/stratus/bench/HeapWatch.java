package io.stratus.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap of this JVM (where Stratus runs in-process) while something runs: the heap in use after
 * a full collection before and after, and the most the heap held after any collection in between
 * (GC notifications) — what was live, not garbage waiting for the next collection. Also the
 * highest raw "used" seen by sampling every 10 ms, garbage included, for reference.
 */
final class HeapWatch implements AutoCloseable {

    /** What one watched run did to the heap, in bytes. */
    record Growth(long before, long after, long maxAfterGc, long peakUsed, int collections) {

        long retained() {
            return after - before;
        }

        long liveGrowth() {
            return Math.max(maxAfterGc, after) - before;
        }
    }

    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final AtomicLong peakUsed = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private final NotificationListener listener = (notification, handback) -> {
        if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            return;
        }
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        long afterGc = used;
        maxAfterGc.accumulateAndGet(afterGc, Math::max);
        collections.incrementAndGet();
    };
    private volatile boolean watching;
    private Thread sampler;
    private long before;

    /** Collects, records the live heap, and starts watching. */
    void start() throws InterruptedException {
        before = settledHeap();
        maxAfterGc.set(0);
        peakUsed.set(0);
        collections.set(0);
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                emitters.add(emitter);
            }
        }
        watching = true;
        sampler = Thread.ofPlatform().daemon().name("heap-sampler").start(() -> {
            while (watching) {
                peakUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Stops watching and collects once more. */
    Growth stop() throws InterruptedException {
        watching = false;
        sampler.join();
        close();
        long max = maxAfterGc.get();
        int gcs = (int) collections.get();
        long after = settledHeap();
        return new Growth(before, after, max, peakUsed.get(), gcs);
    }

    /** The heap in use after full collections, once it stops shrinking. */
    static long settledHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            if (heap.getUsed() >= used - (1 << 20)) {
                return Math.min(used, heap.getUsed());
            }
            used = Math.min(used, heap.getUsed());
        }
        return used;
    }

    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException e) {
                // Already removed.
            }
        }
        emitters.clear();
    }
}
