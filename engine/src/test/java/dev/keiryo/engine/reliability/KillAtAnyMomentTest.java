package dev.keiryo.engine.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops {@code keiryo} commands at random moments and checks what they leave. In the default build
 * a smoke form (single-worker training, a few kill points); the long form, every command with at
 * least 30 SIGKILL points, is {@code ./mvnw -B -ntp -o -pl engine test -Pkill-long}
 * ({@code -Dkeiryo.kill.points}, {@code -Dkeiryo.kill.termPoints}, {@code -Dkeiryo.kill.commands},
 * {@code -Dkeiryo.kill.seed} change it), which writes {@code engine/target/kill-report.txt}.
 */
class KillAtAnyMomentTest {
    @TempDir
    Path work;

    @Test
    void everyKillPointLeavesARunThatReadsWholeAndResumes() throws IOException, InterruptedException {
        int points = Integer.getInteger("keiryo.kill.points", 1);
        int termPoints = Integer.getInteger("keiryo.kill.termPoints", 1);
        String commands = System.getProperty("keiryo.kill.commands", "train-single");
        long seed = Long.getLong("keiryo.kill.seed", 20261207L);
        KillHarness harness = new KillHarness(work, seed);
        List<String> names = commands.equals("all")
                ? KillHarness.COMMANDS.stream().map(KillHarness.Command::name).toList()
                : List.of(commands.split(","));
        List<KillHarness.Series> series = new ArrayList<>();
        List<Integer> wanted = new ArrayList<>();
        for (String name : names) {
            for (KillHarness.Signal s : KillHarness.Signal.values()) {
                int n = s == KillHarness.Signal.KILL ? points : termPoints;
                if (n > 0) {
                    series.add(harness.series(KillHarness.command(name), s));
                    wanted.add(n);
                }
            }
        }
        long t0 = System.nanoTime();
        // Commands take turns, so that a long form stopped early still has figures for each.
        for (boolean more = true; more; ) {
            more = false;
            for (int k = 0; k < series.size(); k++) {
                if (series.get(k).tally().tried() < wanted.get(k)) {
                    series.get(k).next();
                    more = true;
                    write(series, harness.log(), t0);
                }
            }
        }
        List<String> failures = new ArrayList<>();
        series.forEach(s -> failures.addAll(s.tally().failures()));
        assertEquals(List.of(), failures, String.join("\n", summary(series, t0)));
    }

    private static List<String> summary(List<KillHarness.Series> series, long t0) {
        List<String> lines = new ArrayList<>();
        for (KillHarness.Series s : series) {
            KillHarness.Tally t = s.tally();
            lines.add(String.format(
                    Locale.ROOT,
                    "%s %s: %d tried, %d survived, %d resumed, %.0f s",
                    t.command(),
                    t.signal(),
                    t.tried(),
                    t.survived(),
                    t.resumed(),
                    t.seconds()));
        }
        lines.add(String.format(Locale.ROOT, "kill points: %.0f s in all", (System.nanoTime() - t0) / 1e9));
        return lines;
    }

    /** Written after every kill point, so a long run that is stopped still leaves its figures. */
    private static void write(List<KillHarness.Series> series, List<String> log, long t0) throws IOException {
        String out = System.getProperty("keiryo.kill.report");
        if (out != null) {
            List<String> all = new ArrayList<>(summary(series, t0));
            all.add("");
            all.addAll(log);
            Files.write(Path.of(out), all);
        }
    }
}
