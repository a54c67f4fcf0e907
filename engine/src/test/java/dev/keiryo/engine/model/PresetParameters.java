package dev.keiryo.engine.model;

/**
 * Parameter counts of the graph presets from their channel counts, written out from the
 * architecture (bias-free convolutions before batch norm, four batch-norm vectors per channel), so
 * tests can check that a pruned network keeps exactly the parameters of its kept channels.
 */
public final class PresetParameters {
    private PresetParameters() {}

    /**
     * ResNet-20 with residual streams of {@code streams} channels per stage and blocks whose first
     * convolutions have {@code inner} channels per stage; 1x1 projections where a stage begins.
     */
    public static long resnet20(int[] streams, int[] inner, int inputChannels, int classes) {
        long n = 9L * inputChannels * streams[0] + 4L * streams[0];
        int in = streams[0];
        for (int stage = 0; stage < 3; stage++) {
            int s = streams[stage];
            int m = inner[stage];
            for (int block = 0; block < 3; block++) {
                n += 9L * in * m + 4L * m + 9L * m * s + 4L * s;
                if (stage > 0 && block == 0) {
                    n += (long) in * s + 4L * s;
                }
                in = s;
            }
        }
        return n + (long) in * classes + classes;
    }

    /** VGG-small with {@code widths} channels in both convolutions of each stage. */
    public static long vggSmall(int[] widths, int inputChannels, int classes) {
        long n = 0;
        int in = inputChannels;
        for (int w : widths) {
            n += 9L * in * w + 4L * w + 9L * w * w + 4L * w;
            in = w;
        }
        return n + (long) in * classes + classes;
    }
}
