package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.run.TrainingEvent;
import dev.keiryo.engine.api.run.TrainingListener;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Renders training events: a redrawn progress bar on a terminal, one line per epoch when the output
 * is a file or a pipe, or JSON lines with {@code --json}. Redraws are limited to ~10 per second.
 */
final class ProgressPrinter implements TrainingListener {
    enum Mode {
        BAR,
        LINES,
        JSON
    }

    private final PrintWriter out;
    private final Mode mode;
    // The current phase's epochs: the run's until a step's message starts a fine-tuning of its own, then
    // unknown until that phase's first epoch says.
    private int totalEpochs;
    private long lastDraw;

    ProgressPrinter(PrintWriter out, Mode mode, int totalEpochs) {
        this.out = out;
        this.mode = mode;
        this.totalEpochs = totalEpochs;
    }

    // System.console() is null when a stream is redirected (JDK 17-21); on JDK 22+ it is never null
    // and isTerminal() says the same thing, so ask that when it exists.
    @SuppressWarnings("SystemConsoleNull") // checked both ways, see above
    private static boolean interactive() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    static Mode mode(boolean json) {
        return json ? Mode.JSON : interactive() ? Mode.BAR : Mode.LINES;
    }

    @Override
    public void onEvent(TrainingEvent event) {
        follow(event);
        switch (mode) {
            case JSON -> json(event);
            case BAR -> bar(event);
            case LINES -> lines(event);
        }
    }

    private void json(TrainingEvent event) {
        if (event instanceof TrainingEvent.Iteration it
                && it.batchInEpoch() % 10 != 0
                && it.batchInEpoch() != it.batchesPerEpoch()) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event.getClass().getSimpleName().toLowerCase(Locale.ROOT));
        m.put("data", event);
        out.println(Json.line(m));
        out.flush();
    }

    private void bar(TrainingEvent event) {
        if (event instanceof TrainingEvent.Iteration it) {
            long now = System.nanoTime();
            if (now - lastDraw < 100_000_000L && it.batchInEpoch() != it.batchesPerEpoch()) {
                return;
            }
            lastDraw = now;
            int width = 30;
            int filled = (int) Math.round(width * (double) it.batchInEpoch() / it.batchesPerEpoch());
            out.printf(
                    Locale.ROOT,
                    "\repoch %s [%s%s] %3d%%  loss %.4f  %,.0f samples/s ",
                    epoch(it.epoch()),
                    "#".repeat(filled),
                    "-".repeat(width - filled),
                    100 * it.batchInEpoch() / it.batchesPerEpoch(),
                    it.loss(),
                    it.samplesPerSecond());
            out.flush();
        } else {
            out.print("\r" + " ".repeat(90) + "\r");
            lines(event);
        }
    }

    private void follow(TrainingEvent event) {
        if (event instanceof TrainingEvent.Epoch e) {
            totalEpochs = e.epochs();
        } else if (event instanceof TrainingEvent.Message) {
            totalEpochs = 0;
        }
    }

    private void lines(TrainingEvent event) {
        if (event instanceof TrainingEvent.Epoch e) {
            out.printf(
                    Locale.ROOT,
                    "epoch %s  train loss %.4f  validation accuracy %s  %.1f s  %,.0f samples/s%n",
                    epoch(e.epoch()),
                    e.trainLoss(),
                    Double.isFinite(e.validationAccuracy())
                            ? String.format(Locale.ROOT, "%.4f", e.validationAccuracy())
                            : "n/a",
                    e.seconds(),
                    e.samplesPerSecond());
        } else if (event instanceof TrainingEvent.Message m) {
            out.println(m.text());
        }
        out.flush();
    }

    /** "3/5"; just "3" when the total is unknown (a loaded model's steps train with their own epochs). */
    private String epoch(int epoch) {
        return totalEpochs > 0 ? epoch + "/" + totalEpochs : Integer.toString(epoch);
    }
}
