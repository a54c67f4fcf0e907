package dev.keiryo.engine.job;

import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelIO;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads either kind of model file Keiryo writes: a packed variant (.kpack) or a training zip. */
public final class ModelFiles {
    private static final byte[] PACK_MAGIC = "KEIRYOPK".getBytes(StandardCharsets.US_ASCII);

    private ModelFiles() {}

    public static KeiryoModel load(Path file) {
        return isPacked(file) ? PackReader.read(file) : ModelIO.load(file);
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
