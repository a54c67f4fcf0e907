package dev.keiryo.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keiryo.engine.api.run.TrainingEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    @Test
    void eachPhaseCountsItsOwnEpochs() {
        StringWriter text = new StringWriter();
        ProgressPrinter p = new ProgressPrinter(new PrintWriter(text), ProgressPrinter.Mode.LINES, 2);
        p.onEvent(epoch(1, 2));
        p.onEvent(epoch(2, 2));
        p.onEvent(new TrainingEvent.Message(0, "fine-tuning the shrunk network for 1 epoch(s), lr 0.001"));
        p.onEvent(epoch(1, 1));
        List<String> epochs = text.toString()
                .lines()
                .filter(l -> l.startsWith("epoch"))
                .map(l -> l.split(" +", -1)[1])
                .toList();
        assertEquals(List.of("1/2", "2/2", "1/1"), epochs);
    }

    private static TrainingEvent.Epoch epoch(int epoch, int epochs) {
        return new TrainingEvent.Epoch(epoch, epochs, 0.5, 0.8, 0.4, 1.0, 100, true);
    }
}
