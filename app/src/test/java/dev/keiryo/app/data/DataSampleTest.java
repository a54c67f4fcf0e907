package dev.keiryo.app.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keiryo.app.workspace.Workspace;
import dev.keiryo.engine.api.engine.DataPreview;
import dev.keiryo.engine.api.experiment.DataSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How one preview image becomes the pixels the Data view's grid draws. */
class DataSampleTest {
    @Test
    void colourImagesAreDrawnInColour() {
        // 2x1: a red pixel and a blue one, channels one after the other.
        float[] chw = {255, 0, 0, 0, 0, 255};
        DataViewModel.Sample s = DataViewModel.sample(new DataPreview.Image(2, 1, 3, chw, "x"));
        assertArrayEquals(new int[] {0xffff0000, 0xff0000ff}, s.argb());
    }

    @Test
    void greyImagesAreDrawnDarkOnLight() {
        float[] grey = {0, 255};
        DataViewModel.Sample s = DataViewModel.sample(new DataPreview.Image(2, 1, 1, grey, "x"));
        assertArrayEquals(new int[] {0xffffffff, 0xff000000}, s.argb());
    }

    @Test
    void aLoadedImageFolderTellsTheWorkspaceItsShape() {
        Path shapes = Path.of("..", "assets", "data", "shapes-sample").toAbsolutePath();
        DataViewModel.Loaded loaded = DataViewModel.read(DataSpec.Source.IMAGES, shapes.toString(), null, 42);
        assertEquals(new Workspace.InputShape(3, 32, 32, 4), loaded.shape(), "four classes of 32x32 colour shapes");
    }
}
