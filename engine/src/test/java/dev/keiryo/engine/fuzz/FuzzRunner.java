package dev.keiryo.engine.fuzz;

import dev.keiryo.engine.api.KeiryoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a reader on mutated files, one case at a time on a worker thread, and holds it to its
 * promise: a value, or a {@link KeiryoException} whose message is one line naming the file; never
 * another exception, never longer than the case time limit, never more heap allocated in one case
 * than the limit.
 */
final class FuzzRunner {
    /** Cases per reader: small in {@code verify}, at least 100,000 in the long form ({@code -Pfuzz}). */
    static final long CASES = Long.getLong("keiryo.fuzz.cases", 150);

    static final long SEED = Long.getLong("keiryo.fuzz.seed", 20261207L);

    /** {@code -Dkeiryo.fuzz.case=N} replays case N alone, with the full stack trace of a failure. */
    static final Long ONLY = Long.getLong("keiryo.fuzz.case");

    /** The cases a run makes: {@link #CASES}, or the one replayed. */
    static long expectedCases() {
        return ONLY == null ? CASES : 1;
    }

    static final long CASE_SECONDS = Long.getLong("keiryo.fuzz.caseSeconds", 30);
    private static final long PROGRESS_EVERY = 10_000;

    /** One case: reads the {@code index}th mutation; returns normally with a value or throws. */
    interface Case {
        void run(long index) throws Exception;
    }

    record Report(
            String reader,
            long cases,
            long values,
            long errors,
            double seconds,
            long slowestMillis,
            long mostAllocated,
            Map<String, String> failures) {
        String line() {
            return String.format(
                            Locale.ROOT,
                            "%s: %d cases (%d values, %d one-sentence errors, %d other outcomes) in %.1f s;"
                                    + " slowest case %d ms; most heap allocated in one case %.1f MB",
                            reader,
                            cases,
                            values,
                            errors,
                            cases - values - errors,
                            seconds,
                            slowestMillis,
                            mostAllocated / 1e6)
                    + (failures.isEmpty() ? "" : "; failures: " + String.join(" | ", failures.values()));
        }
    }

    private FuzzRunner() {}

    private static String stack(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    /**
     * @param mentions what every error sentence must name (the file or folder)
     * @param allocationLimit heap bytes one case may allocate
     */
    static Report run(String reader, String mentions, long allocationLimit, Case fn) {
        long first = ONLY == null ? 0 : ONLY;
        return run(
                reader,
                mentions,
                allocationLimit,
                java.util.stream.LongStream.range(first, first + expectedCases())
                        .toArray(),
                fn);
    }

    /** As {@link #run(String, String, long, Case)} on the given case numbers only. */
    static Report run(String reader, String mentions, long allocationLimit, long[] indices, Case fn) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + reader);
            t.setDaemon(true);
            return t;
        });
        Map<String, String> failures = new LinkedHashMap<>();
        long values = 0;
        long errors = 0;
        long slowest = 0;
        long most = 0;
        long started = System.nanoTime();
        long cases = 0;
        try {
            for (long index : indices) {
                long t0 = System.nanoTime();
                Future<Outcome> f = worker.submit(() -> {
                    long id = Thread.currentThread().getId();
                    long before = threads.getThreadAllocatedBytes(id);
                    Outcome o;
                    try {
                        fn.run(index);
                        o = new Outcome(true, null, 0);
                    } catch (KeiryoException e) {
                        o = new Outcome(false, sentenceProblem(e.getMessage(), mentions), 0);
                    } catch (Throwable e) {
                        o = new Outcome(
                                false,
                                e.getClass().getName() + ": " + e.getMessage() + " at "
                                        + (ONLY == null ? frame(e) : stack(e)),
                                0);
                    }
                    return new Outcome(o.value, o.problem, threads.getThreadAllocatedBytes(id) - before);
                });
                Outcome o;
                try {
                    o = f.get(CASE_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    failures.put("hang", "case " + index + " ran longer than " + CASE_SECONDS + " s");
                    cases++;
                    break;
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException(e);
                }
                cases++;
                slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
                most = Math.max(most, o.allocated);
                if (o.problem != null) {
                    String problem = o.problem.replace('\n', ' ');
                    failures.putIfAbsent(signature(problem), "case " + index + ": " + problem);
                } else if (o.allocated > allocationLimit) {
                    failures.putIfAbsent(
                            "allocation", "case " + index + " allocated " + o.allocated + " bytes of heap");
                } else if (o.value) {
                    values++;
                } else {
                    errors++;
                }
                if (cases % PROGRESS_EVERY == 0 && cases < indices.length) {
                    write(
                            "progress.txt",
                            new Report(
                                    reader,
                                    cases,
                                    values,
                                    errors,
                                    (System.nanoTime() - started) / 1e9,
                                    slowest,
                                    most,
                                    failures));
                }
            }
        } finally {
            worker.shutdownNow();
        }
        Report report =
                new Report(reader, cases, values, errors, (System.nanoTime() - started) / 1e9, slowest, most, failures);
        write("report.txt", report);
        return report;
    }

    private record Outcome(boolean value, String problem, long allocated) {}

    /** Null when {@code message} is one line naming {@code mentions}; otherwise what is wrong with it. */
    private static String sentenceProblem(String message, String mentions) {
        if (message == null || message.isBlank()) {
            return "KeiryoException without a message";
        }
        if (message.contains("\n")) {
            return "error of more than one line: " + message;
        }
        if (!message.contains(mentions)) {
            return "error that does not name " + mentions + ": " + message;
        }
        return null;
    }

    private static String frame(Throwable e) {
        StackTraceElement[] s = e.getStackTrace();
        return s.length == 0 ? "?" : s[0].toString();
    }

    /** Failures with the same exception class and place count once. */
    private static String signature(String problem) {
        int colon = problem.indexOf(':');
        int at = problem.lastIndexOf(" at ");
        return colon < 0 ? problem : problem.substring(0, colon) + (at < 0 ? "" : problem.substring(at));
    }

    /**
     * Appends the report's line to {@code target/fuzz-report.txt}, which the reliability page quotes;
     * the long form also notes its progress in {@code target/fuzz-progress.txt}.
     */
    private static void write(String name, Report r) {
        try {
            Path out = Path.of("target", "fuzz-" + name);
            Files.createDirectories(out.getParent());
            Files.writeString(
                    out,
                    "seed " + SEED + ", " + r.line() + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
