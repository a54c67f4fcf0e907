package dev.keiryo.engine.variant;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.experiment.Run;
import dev.keiryo.engine.experiment.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A variants.json that points outside the run's own packed files is refused, not followed. */
class VariantIndexTest {
    @TempDir
    Path runs;

    @Test
    void aVariantFileOutsideTheRunsVariantsFolderIsRefusedWithASentence() throws Exception {
        for (String file : new String[] {
            "../../secret.kpack",
            "/etc/passwd",
            "variants/../models/model.zip",
            "variants/v1.kpack/../../x",
            "models/model.zip"
        }) {
            Run run = new RunStore(runs).create("edited");
            Files.writeString(run.file(VariantStore.INDEX), """
                    [{"id": "v1", "modelFile": "%s", "step": "train"}]
                    """.formatted(file));
            String m = assertThrows(KeiryoException.class, () -> VariantStore.read(run))
                    .getMessage();
            assertTrue(m.contains("variants.json") && m.contains(file) && m.contains("edited or damaged"), m);
            run.close();
        }
    }
}
