package dev.keiryo.engine.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.deeplearning4j.nn.conf.inputs.InputType;

/** The shape of one input example: channels x height x width, or a flat vector when height is 1. */
public record InputShape(int channels, int height, int width) {
    public InputShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(
                    "input dimensions must be positive: " + channels + "x" + height + "x" + width);
        }
    }

    public static InputShape flat(int features) {
        return new InputShape(1, 1, features);
    }

    public int size() {
        return channels * height * width;
    }

    @JsonIgnore
    public boolean isImage() {
        return height > 1 && width > 1;
    }

    public InputType toInputType(boolean imageShaped) {
        return imageShaped && isImage()
                ? InputType.convolutional(height, width, channels)
                : InputType.feedForward(size());
    }
}
