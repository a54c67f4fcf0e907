package dev.keiryo.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.engine.DataPreview;
import dev.keiryo.engine.api.engine.Engine;
import dev.keiryo.engine.api.experiment.DataSpec;
import org.junit.jupiter.api.Test;

/** The engine behind the API is found on the class path and answers in API types. */
class LocalEngineTest {

    @Test
    void theLocalEngineIsFoundThroughTheServiceRegistry() {
        assertInstanceOf(LocalEngine.class, Engine.local());
    }

    @Test
    void previewOfTheBundledSampleShowsImagesAndEveryClass() {
        DataPreview p = Engine.local().previewData(DataSpec.defaults(), 42, 5);
        assertEquals(5, p.images().size());
        DataPreview.Image first = p.images().get(0);
        assertEquals(28 * 28, first.pixels().length);
        assertEquals(1, first.channels());
        assertEquals(28, first.width());
        assertEquals(10, p.classCounts().size());
        assertTrue(p.classCounts().containsKey(first.label()), first.label());
        int total =
                p.classCounts().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(5000, total, "every training image of the sample is counted once");
        assertTrue(p.description().contains("Fashion-MNIST sample"), p.description());
    }

    @Test
    void previewOfAColourImageFolderCarriesAllThreeChannels() {
        DataSpec shapes = DataSpec.defaults()
                .withSource(DataSpec.Source.IMAGES)
                .withPath(java.nio.file.Path.of("..", "assets", "data", "shapes-sample")
                        .toString());
        DataPreview p = Engine.local().previewData(shapes, 42, 3);
        DataPreview.Image first = p.images().get(0);
        assertEquals(3, first.channels());
        assertEquals(3 * 32 * 32, first.pixels().length);
        // The shapes are light on dark in random colours: some pixel differs between channels.
        boolean colour = false;
        for (int j = 0; j < 32 * 32; j++) {
            colour |= first.pixels()[j] != first.pixels()[1024 + j] || first.pixels()[j] != first.pixels()[2048 + j];
        }
        assertTrue(colour, "the preview keeps the colour");
        assertEquals(4, p.classCounts().size());
    }

    @Test
    void aMissingFolderIsOneSentenceNamingIt() {
        DataSpec missing = DataSpec.defaults().withSource(DataSpec.Source.IDX).withPath("/no/such/folder");
        KeiryoException e =
                assertThrows(KeiryoException.class, () -> Engine.local().previewData(missing, 42, 5));
        assertTrue(e.getMessage().contains("/no/such/folder"), e.getMessage());
    }

    @Test
    void aFolderThatIsNoRunIsOneSentenceNamingIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path notARun = java.nio.file.Files.createDirectory(dir.resolve("holiday-photos"));
        KeiryoException e =
                assertThrows(KeiryoException.class, () -> Engine.local().openRun(notARun));
        assertTrue(e.getMessage().contains("holiday-photos"), e.getMessage());
    }

    @Test
    void aPresetIsInspectedWithoutTraining() {
        var inspection =
                Engine.local().inspectPreset(dev.keiryo.engine.api.experiment.ModelSpec.defaults(), 1, 28, 28, 10);
        assertEquals(431_080, inspection.stats().parameters(), "LeNet-5's parameters, as keiryo demo reports them");
        var all = inspection.histogram(-1, 60);
        assertEquals(60, all.counts().length);
        assertTrue(all.total() > 0 && all.total() < inspection.stats().parameters(), "weights only: " + all.total());
    }

    @Test
    void aMissingModelFileIsOneSentenceNamingIt() {
        java.nio.file.Path missing = java.nio.file.Path.of("no-such-model.kpack");
        KeiryoException e =
                assertThrows(KeiryoException.class, () -> Engine.local().inspectFile(missing));
        assertTrue(e.getMessage().contains("no-such-model.kpack"), e.getMessage());
    }
}
