package dev.keiryo.app.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FxTasksTest {
    @Test
    void aWorkerThreadCarriesTheNameOfItsWorkWhileItRuns() {
        Thread t = Thread.currentThread();
        String idle = t.getName();
        AtomicReference<String> during = new AtomicReference<>();
        FxTasks.named("apply quantization", () -> during.set(t.getName()));
        assertEquals(idle + " (apply quantization)", during.get());
        assertEquals(idle, t.getName(), "and its own name again afterwards");
    }
}
