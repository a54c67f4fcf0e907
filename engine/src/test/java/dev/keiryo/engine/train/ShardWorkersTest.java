package dev.keiryo.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The helpers that run parts of a training step: every part once, failures passed on. */
class ShardWorkersTest {
    @Test
    void everyPartRunsOnceAndTheFirstOnTheCaller() {
        int parts = ShardWorkers.parallelism() + 2;
        AtomicIntegerArray runs = new AtomicIntegerArray(parts);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Thread[] first = new Thread[1];
        for (int round = 0; round < 50; round++) {
            ShardWorkers.run(parts, p -> {
                runs.incrementAndGet(p);
                threads.add(Thread.currentThread());
                if (p == 0) {
                    first[0] = Thread.currentThread();
                }
            });
            assertEquals(Thread.currentThread(), first[0]);
        }
        int[] expected = new int[parts];
        java.util.Arrays.fill(expected, 50);
        int[] actual = new int[parts];
        for (int p = 0; p < parts; p++) {
            actual[p] = runs.get(p);
        }
        assertArrayEquals(expected, actual);
        assertTrue(threads.size() <= ShardWorkers.parallelism(), threads.size() + " threads ran the parts");
    }

    @Test
    void aPartMayRunPartsItself() {
        AtomicIntegerArray inner = new AtomicIntegerArray(2);
        ShardWorkers.run(2, p -> {
            if (p == 0) {
                ShardWorkers.run(2, inner::incrementAndGet);
            }
        });
        assertEquals(1, inner.get(0));
        assertEquals(1, inner.get(1));
    }

    @Test
    void openBlasThreadsReadBackAsSet() {
        int before = BlasThreads.get();
        try {
            BlasThreads.set(1);
            assertEquals(1, BlasThreads.get());
        } finally {
            BlasThreads.set(before);
        }
        assertEquals(before, BlasThreads.get());
    }

    @Test
    void aFailingPartFailsTheStepAfterTheOthersEnd() {
        int parts = Math.max(2, ShardWorkers.parallelism());
        AtomicIntegerArray done = new AtomicIntegerArray(parts);
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> ShardWorkers.run(parts, p -> {
                    if (p == parts - 1) {
                        throw new IllegalStateException("part " + p);
                    }
                    done.incrementAndGet(p);
                }));
        assertEquals("part " + (parts - 1), e.getMessage());
        for (int p = 0; p < parts - 1; p++) {
            assertEquals(1, done.get(p), "part " + p + " ran to its end before the failure was thrown");
        }
        // the helpers still work afterwards
        AtomicIntegerArray again = new AtomicIntegerArray(parts);
        ShardWorkers.run(parts, again::incrementAndGet);
        for (int p = 0; p < parts; p++) {
            assertEquals(1, again.get(p));
        }
    }
}
