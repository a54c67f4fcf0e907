package dev.keiryo.app.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.keiryo.engine.api.engine.DataPreview;
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
}
