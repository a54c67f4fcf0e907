package dev.keiryo.engine.variant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.experiment.Run;
import dev.keiryo.engine.experiment.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A variants.json that points outside the run's own packed files is refused, not followed; packed
 * files a stopped run wrote but never listed are made again, under the same ids.
 */
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

    @Test
    void aPackedFileThatWasNeverListedIsRemovedSoItsVariantIsMadeAgainUnderItsId() throws Exception {
        Run run = new RunStore(runs).create("stopped");
        Files.createDirectories(run.file(VariantStore.DIR));
        Files.writeString(run.file(VariantStore.INDEX), """
                [{"id": "v0", "modelFile": "variants/v0.kpack", "step": "train"}]
                """);
        for (String f : new String[] {"v0.kpack", "v1.kpack", "v3.kpack", "notes.txt"}) {
            Files.writeString(run.file(VariantStore.DIR + "/" + f), f);
        }
        VariantStore store = new VariantStore(run, null);
        assertEquals(List.of("v0"), store.variants().stream().map(v -> v.id()).toList());
        assertTrue(Files.exists(run.file("variants/v0.kpack")), "the listed variant stays");
        assertFalse(Files.exists(run.file("variants/v1.kpack")), "written by the stopped run, never listed");
        assertFalse(Files.exists(run.file("variants/v3.kpack")));
        assertTrue(Files.exists(run.file("variants/notes.txt")), "not a variant file: left alone");
        run.close();
    }
}
