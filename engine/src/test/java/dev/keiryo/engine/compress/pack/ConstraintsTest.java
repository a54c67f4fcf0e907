package dev.keiryo.engine.compress.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.Layers;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.serde.jackson.shaded.NDArrayTextDeSerializer;
import org.nd4j.serde.jackson.shaded.NDArrayTextSerializer;
import org.nd4j.shade.jackson.databind.annotation.JsonDeserialize;
import org.nd4j.shade.jackson.databind.annotation.JsonSerialize;

/** Training-time constraints (pruning masks) stay out of packed files unless asked for. */
class ConstraintsTest {
    @TempDir
    Path dir;

    @Test
    void maskConstraintIsStrippedByDefaultAndKeptOnRequest() {
        KeiryoModel m = TestNets.magnitudePruned(TestNets.model(ArchitecturePreset.LENET300), 0.9);
        INDArray w = m.net().getParam("dense1_W");
        MaskConstraint mask = new MaskConstraint();
        mask.setMask(w.neq(0).castTo(w.dataType()));
        mask.setParams(Set.of("W"));
        Layers.at(m.net(), 0).conf().getLayer().setConstraints(List.of(mask));

        PackReport stripped = PackWriter.write(m, dir.resolve("s.kpack"), PackOptions.defaults());
        PackReport kept = PackWriter.write(
                m, dir.resolve("k.kpack"), PackOptions.defaults().withKeepConstraints(true));
        assertNotNull(Layers.at(m.net(), 0).conf().getLayer().getConstraints(), "the caller's network keeps its mask");
        assertTrue(
                kept.configBytes() > 10 * stripped.configBytes(),
                "the mask as JSON text: " + kept.configBytes() + " vs " + stripped.configBytes() + " bytes");

        KeiryoModel back = PackReader.read(dir.resolve("s.kpack"));
        assertNull(Layers.at(back.net(), 0).conf().getLayer().getConstraints());
        assertFalse(Constraints.present(back.net().getConfiguration()));
        KeiryoModel keptBack = PackReader.read(dir.resolve("k.kpack"));
        assertEquals(
                1,
                Layers.at(keptBack.net(), 0).conf().getLayer().getConstraints().size());
        TestNets.assertIdentical(m.net(), back.net(), TestNets.input(ArchitecturePreset.LENET300, 2, 3));
    }

    /** Like a pruning mask constraint: keeps pruned weights at zero, mask serialised as text. */
    public static class MaskConstraint implements LayerConstraint {
        private static final long serialVersionUID = 1L;

        @JsonSerialize(using = NDArrayTextSerializer.class)
        @JsonDeserialize(using = NDArrayTextDeSerializer.class)
        private INDArray mask;

        private Set<String> params;

        public INDArray getMask() {
            return mask;
        }

        public void setMask(INDArray mask) {
            this.mask = mask;
        }

        @Override
        public void applyConstraint(Layer layer, int iteration, int epoch) {
            layer.getParam("W").muli(mask);
        }

        @Override
        public void setParams(Set<String> params) {
            this.params = params;
        }

        @Override
        public Set<String> getParams() {
            return params;
        }

        @Override
        public LayerConstraint clone() {
            MaskConstraint c = new MaskConstraint();
            c.mask = mask;
            c.params = params;
            return c;
        }
    }
}
