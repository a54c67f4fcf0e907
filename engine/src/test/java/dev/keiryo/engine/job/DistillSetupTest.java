package dev.keiryo.engine.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.keras.KerasImport;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.onnx.OnnxImporter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which student distillation builds when none is named. */
class DistillSetupTest {
    private static ModelMeta teacher(String preset, boolean imageShaped) {
        InputShape in = imageShaped ? new InputShape(3, 32, 32) : new InputShape(1, 1, 20);
        return new ModelMeta(ModelMeta.FORMAT_VERSION, preset, in, imageShaped, 10, List.of(), Normalizer.none());
    }

    @Test
    void aTeacherWithAPresetGetsACopyOfIt() {
        assertEquals(ArchitecturePreset.RESNET20, DistillSetup.defaultStudent(teacher("resnet20", true)));
        assertEquals(ArchitecturePreset.LENET300, DistillSetup.defaultStudent(teacher("lenet300", false)));
    }

    @Test
    void anImportedTeacherGetsLeNet5ForImagesAndTheMlpForTables() {
        assertEquals(ArchitecturePreset.LENET5, DistillSetup.defaultStudent(teacher(OnnxImporter.PRESET, true)));
        assertEquals(ArchitecturePreset.MLP, DistillSetup.defaultStudent(teacher(OnnxImporter.PRESET, false)));
        assertEquals(ArchitecturePreset.LENET5, DistillSetup.defaultStudent(teacher(KerasImport.PRESET, true)));
    }
}
