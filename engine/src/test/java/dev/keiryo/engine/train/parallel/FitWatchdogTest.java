package dev.keiryo.engine.train.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.run.CancellationToken;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The watchdog around every parallel fit, with fits that finish, hang, fail or are cancelled. */
class FitWatchdogTest {
    private static final long STALL = TimeUnit.MILLISECONDS.toNanos(300);

    @Test
    void aFitThatFinishesIsReportedAsFinished() {
        AtomicInteger stops = new AtomicInteger();
        FitWatchdog.Ending e = FitWatchdog.run(
                () -> {}, System::nanoTime, stops::incrementAndGet, new CancellationToken(), STALL, "t");
        assertEquals(FitWatchdog.Ending.FINISHED, e);
        assertEquals(0, stops.get());
    }

    @Test
    void aFitThatHangsIsAbandonedAfterTheStallTimeAndAskedToStop() {
        AtomicInteger stops = new AtomicInteger();
        long start = System.nanoTime();
        FitWatchdog.Ending e = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> FitWatchdog.run(
                        () -> {
                            try {
                                new CountDownLatch(1).await();
                            } catch (InterruptedException ignored) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        () -> start,
                        stops::incrementAndGet,
                        new CancellationToken(),
                        STALL,
                        "hangs"));
        assertEquals(FitWatchdog.Ending.STALLED, e);
        assertTrue(stops.get() >= 1);
    }

    @Test
    void progressKeepsASlowFitAlive() {
        AtomicLong last = new AtomicLong(System.nanoTime());
        FitWatchdog.Ending e = FitWatchdog.run(
                () -> {
                    for (int i = 0; i < 8; i++) {
                        sleep(100);
                        last.set(System.nanoTime());
                    }
                },
                last::get,
                () -> {},
                new CancellationToken(),
                STALL,
                "slow");
        assertEquals(FitWatchdog.Ending.FINISHED, e, "800 ms in total, but never 300 ms without progress");
    }

    @Test
    void cancellationAsksTheFitToStop() {
        CancellationToken token = new CancellationToken();
        CountDownLatch stopped = new CountDownLatch(1);
        token.cancel();
        FitWatchdog.Ending e = FitWatchdog.run(
                () -> {
                    try {
                        stopped.await();
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                },
                System::nanoTime,
                stopped::countDown,
                token,
                TimeUnit.SECONDS.toNanos(30),
                "cancel");
        assertEquals(FitWatchdog.Ending.FINISHED, e, "the fit ended when asked");
    }

    @Test
    void whatTheFitThrowsIsRethrown() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> FitWatchdog.run(
                        () -> {
                            throw boom;
                        },
                        System::nanoTime,
                        () -> {},
                        new CancellationToken(),
                        STALL,
                        "fails"));
        assertEquals(boom, thrown);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
