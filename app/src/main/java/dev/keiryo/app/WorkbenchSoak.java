package dev.keiryo.app;

import static dev.keiryo.app.FxDriver.latency;
import static dev.keiryo.app.FxDriver.onFx;
import static dev.keiryo.app.FxDriver.runFx;
import static dev.keiryo.app.FxDriver.trainInGui;
import static dev.keiryo.app.FxDriver.waitUntil;

import dev.keiryo.app.concurrent.FxTasks;
import dev.keiryo.app.workspace.AppPrefs;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.PruneMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * The workbench used for a long time, as a command: cycles of training, slider drags, a prune
 * sweep, a quantization sweep, a distillation and a walk through every view, for the given
 * minutes. Each minute it records the heap in use after a full collection, the live threads and
 * the longest time the UI thread was busy (a probe posts to it every 20 ms and measures how late
 * each post runs). Prints one SOAK line per minute and a RESULT line at the end, and writes the
 * samples as CSV and their curves as a PNG beside it. Needs a display, or run it under xvfb-run.
 */
public final class WorkbenchSoak {
    private static final long PROBE_MS = 20;

    private final Workbench wb;
    private static final long REPORT_STALL_MS = 150;

    private final AtomicLong worstStallNanos = new AtomicLong();
    /** Post times of the probes the UI thread has not run yet, oldest first (runLater keeps order). */
    private final java.util.concurrent.ConcurrentLinkedQueue<Long> unrun =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private volatile boolean stallReported;
    private volatile int currentMinute;
    private final AtomicInteger cycles = new AtomicInteger();
    private final List<Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());

    /** One minute's reading. */
    private record Sample(int minute, double heapMb, int threads, double worstStallMs, int cycles) {
        String csv() {
            return String.format(Locale.ROOT, "%d,%.1f,%d,%.1f,%d", minute, heapMb, threads, worstStallMs, cycles);
        }
    }

    private WorkbenchSoak(Workbench wb) {
        this.wb = wb;
    }

    public static void main(String[] args) {
        int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path csv = Path.of(args.length > 1 ? args[1] : "soak.csv");
        if (minutes < 1) {
            System.err.println("keiryo-workbench --soak [MINUTES [CSV]]: MINUTES must be at least 1, e.g. --soak 30.");
            System.exit(2);
        }
        Engine.local().prepare();
        Path dir;
        try {
            dir = Files.createTempDirectory("keiryo-soak");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FxDriver.startFx();
        Workbench wb = onFx(() -> {
            Workbench w = new Workbench(
                    new FxTasks(), new AppPrefs(Preferences.userRoot().node("dev/keiryo/soak")), dir);
            w.show(new Stage());
            return w;
        });
        new WorkbenchSoak(wb).run(minutes, csv);
        Platform.exit();
        System.exit(0);
    }

    private void run(int minutes, Path csv) {
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-probe");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "soak-sampler");
            t.setDaemon(true);
            return t;
        });
        var unusedProbe = clock.scheduleAtFixedRate(this::probe, PROBE_MS, PROBE_MS, TimeUnit.MILLISECONDS);
        AtomicInteger minute = new AtomicInteger();
        var unusedSampler = sampler.scheduleAtFixedRate(() -> sample(minute.getAndIncrement()), 0, 1, TimeUnit.MINUTES);
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        Experiment exp = WorkbenchBench.experiment(1);
        // Each cycle retrains, replacing the last cycle's variants: the user answers the dialog with yes.
        runFx(() -> wb.train().previousRun().setConfirm(question -> true));
        while (System.nanoTime() < end) {
            cycle(exp);
            cycles.incrementAndGet();
        }
        sampler.shutdown();
        try {
            sampler.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample(minute.get());
        clock.shutdownNow();
        List<Sample> all = List.copyOf(samples);
        List<String> lines = new ArrayList<>();
        lines.add("minute,heap_mb,threads,worst_ui_stall_ms,cycles");
        all.forEach(x -> lines.add(x.csv()));
        try {
            Files.write(csv, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path png = SoakChart.pngBeside(csv);
        try {
            SoakChart.write(
                    all.stream()
                            .map(x -> new SoakChart.Point(x.minute(), x.heapMb(), x.threads(), x.worstStallMs()))
                            .toList(),
                    png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Sample first = all.get(0);
        Sample last = all.get(all.size() - 1);
        System.out.printf(
                Locale.ROOT,
                "RESULT {\"bench\":\"soak\",\"minutes\":%d,\"cycles\":%d,\"heapMbFirst\":%.1f,\"heapMbLast\":%.1f,"
                        + "\"threadsFirst\":%d,\"threadsLast\":%d,\"worstUiStallMs\":%.1f,\"csv\":\"%s\"}%n",
                minutes,
                cycles.get(),
                first.heapMb(),
                last.heapMb(),
                first.threads(),
                last.threads(),
                all.stream().mapToDouble(Sample::worstStallMs).max().orElse(0),
                csv);
    }

    /** One round of what a user does with a trained model, each action waited for. */
    private void cycle(Experiment exp) {
        trainInGui(wb, exp);
        runFx(() -> {
            wb.tabs().getSelectionModel().select(3);
            wb.prune().modeProperty().set(PruneMode.CONNECTION);
        });
        waitUntil(() -> wb.prune().readyProperty().get());
        for (int i = 0; i < 20; i++) {
            double v = 0.05 + 0.9 * ((i * 7) % 20) / 20;
            latency(
                    wb.prune().previewTextProperty(),
                    () -> wb.prune().amountProperty().set(v));
        }
        runFx(() -> wb.prune().sweep());
        waitUntil(() -> !wb.prune().busyProperty().get(), 10);
        runFx(() -> wb.tabs().getSelectionModel().select(4));
        waitUntil(() -> wb.quantize().readyProperty().get());
        for (int b : new int[] {6, 4, 2, 8}) {
            latency(
                    wb.quantize().previewTextProperty(),
                    () -> wb.quantize().bitsProperty().set(b));
        }
        runFx(() -> wb.quantize().sweep());
        waitUntil(() -> !wb.quantize().busyProperty().get(), 10);
        runFx(() -> {
            wb.tabs().getSelectionModel().select(5);
            wb.distill().epochsProperty().set(1);
            wb.distill().seedsProperty().set(1);
        });
        waitUntil(() -> wb.distill().readyProperty().get());
        runFx(() -> wb.distill().start());
        waitUntil(() -> wb.distill().runningProperty().get()
                || !wb.distill().problemProperty().get().isEmpty());
        waitUntil(() -> !wb.distill().runningProperty().get(), 10);
        int tabs = onFx(() -> wb.tabs().getTabs().size());
        for (int i = 0; i < 2 * tabs; i++) {
            int t = i % tabs;
            runFx(() -> wb.tabs().getSelectionModel().select(t));
        }
    }

    private void probe() {
        long posted = System.nanoTime();
        unrun.add(posted);
        Platform.runLater(() -> {
            worstStallNanos.accumulateAndGet(System.nanoTime() - unrun.remove(), Math::max);
            stallReported = false;
        });
        // Judged by a post still waiting, not by the time since the last one ran: this probe thread
        // may itself wait for a core, and the UI thread is not to blame for that.
        Long oldest = unrun.peek();
        if (!stallReported
                && oldest != null
                && System.nanoTime() - oldest > TimeUnit.MILLISECONDS.toNanos(REPORT_STALL_MS)) {
            stallReported = true;
            reportStall();
        }
    }

    /** What the UI thread is doing while it has not answered for {@link #REPORT_STALL_MS}: the culprit. */
    private void reportStall() {
        Thread.getAllStackTraces().forEach((t, frames) -> {
            if (t.getName().equals("JavaFX Application Thread")) {
                StringBuilder at = new StringBuilder();
                int shown = 0;
                for (StackTraceElement f : frames) {
                    boolean ours = f.getClassName().startsWith("dev.keiryo.");
                    if ((shown < 3 && !f.getClassName().startsWith("java.")) || (ours && shown < 12)) {
                        at.append(shown++ == 0 ? "" : " < ")
                                .append(f.getClassName())
                                .append('.')
                                .append(f.getMethodName())
                                .append(':')
                                .append(f.getLineNumber());
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "STALL minute %d, UI thread busy over %d ms in: %s%n",
                        currentMinute,
                        REPORT_STALL_MS,
                        at);
            }
        });
    }

    private void sample(int minute) {
        currentMinute = minute + 1; // a stall from now on lands in the next sample
        System.gc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        Sample x = new Sample(minute, heap / 1048576.0, threads, worstStallNanos.getAndSet(0) / 1e6, cycles.get());
        samples.add(x);
        String row = x.csv();
        System.out.println("SOAK " + row);
    }
}
