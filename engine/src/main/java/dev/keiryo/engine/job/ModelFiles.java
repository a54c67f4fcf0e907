package dev.keiryo.engine.job;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.model.ModelDescription;
import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.model.GraphVertices;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.Layers;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.model.ModelStatistics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;

/** Loads and describes either kind of model file Keiryo writes: a packed variant (.kpack) or a training zip. */
public final class ModelFiles {
    private static final byte[] PACK_MAGIC = "KEIRYOPK".getBytes(StandardCharsets.US_ASCII);

    private ModelFiles() {}

    public static KeiryoModel load(Path file) {
        return isPacked(file) ? PackReader.read(file) : ModelIO.load(file);
    }

    /** The file's size, what the model was trained on, and its layers' statistics. */
    public static ModelDescription describe(Path file) {
        KeiryoModel model = load(file);
        ModelMeta meta = model.meta();
        // A DL4J model saved without Keiryo's metadata still has its first layer's input size.
        InputType input = meta != null
                ? meta.input().toInputType(meta.imageShaped())
                : Layers.conf(model.net(), 0) instanceof FeedForwardLayer f
                        ? InputType.feedForward(f.getNIn())
                        : InputType.feedForward(1);
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new KeiryoException(file + ": cannot read its size (" + e.getMessage() + "); check the file.", e);
        }
        return new ModelDescription(
                file,
                bytes,
                file.toString().endsWith(".kpack"),
                meta == null ? null : describe(meta),
                ModelStatistics.of(model.net(), input),
                GraphVertices.of(model.net(), input));
    }

    private static ModelDescription.Meta describe(ModelMeta meta) {
        Normalizer n = meta.normalization();
        return new ModelDescription.Meta(
                meta.formatVersion(),
                meta.preset(),
                new ModelDescription.Input(
                        meta.input().channels(),
                        meta.input().height(),
                        meta.input().width()),
                meta.imageShaped(),
                meta.numClasses(),
                meta.classNames(),
                n == null ? null : new ModelDescription.Normalization(n.kind().id(), n.divisor(), n.mean(), n.std()));
    }

    private static boolean isPacked(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(PACK_MAGIC.length);
            return java.util.Arrays.equals(head, PACK_MAGIC);
        } catch (IOException e) {
            return false;
        }
    }
}
