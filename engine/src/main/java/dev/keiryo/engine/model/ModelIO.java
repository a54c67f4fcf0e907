package dev.keiryo.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.io.AtomicWrite;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Saves and loads Keiryo models: DL4J's model zip plus a {@code keiryo-model.json} entry with the
 * {@link ModelMeta}. Writes are atomic (synced temp file, then move) and never replace an existing file
 * unless the caller says so, so a crash or a second run cannot destroy an earlier result.
 */
public final class ModelIO {
    static final String META_ENTRY = "keiryo-model.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelIO() {}

    public static void save(KeiryoModel model, Path file, boolean withUpdater, boolean replace) throws IOException {
        save(model, file, withUpdater, replace, Map.of());
    }

    /** As {@link #save(KeiryoModel, Path, boolean, boolean)}, with extra zip entries written in the same atomic step. */
    public static void save(
            KeiryoModel model, Path file, boolean withUpdater, boolean replace, Map<String, byte[]> extras)
            throws IOException {
        if (!replace && Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite an existing model");
        }
        // One stream, DL4J's entries then Keiryo's: reopening the written zip as a file system to add
        // entries would leave the JDK's own temporary copy behind when the disk is full.
        ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
        ModelSerializer.writeModel(model.net(), dl4j, withUpdater);
        AtomicWrite.writeStream(file, replace, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(dl4j.toByteArray()))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    zip.putNextEntry(new ZipEntry(e.getName()));
                    in.transferTo(zip);
                    zip.closeEntry();
                }
            }
            if (model.meta() != null) {
                zip.putNextEntry(new ZipEntry(META_ENTRY));
                zip.write(JSON.writeValueAsBytes(model.meta()));
                zip.closeEntry();
            }
            for (Map.Entry<String, byte[]> e : extras.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    public static KeiryoModel load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new KeiryoException("model file " + file + " does not exist; give the path of a .zip written by"
                    + " 'keiryo train' (runs/<run>/models/model.zip).");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry config = zip.getEntry(ModelZipReader.CONFIG);
            if (config == null || zip.getEntry(ModelZipReader.COEFFICIENTS) == null) {
                throw new KeiryoException("model file " + file + " is a zip archive but not a DL4J/Keiryo model "
                        + "(no configuration.json or coefficients.bin); give a model written by Keiryo or DL4J.");
            }
            String json = ModelZipReader.text(zip, config, file);
            boolean graph = isGraphConfiguration(json, file);
            ZipEntry e = zip.getEntry(META_ENTRY);
            ModelMeta meta = e == null ? null : readMeta(zip, e, file);
            return restore(zip, file, json, graph, meta);
        } catch (NoSuchFileException ex) {
            throw new KeiryoException("model file " + file + " does not exist.", ex);
        } catch (IOException ex) {
            throw new KeiryoException(
                    "model file " + file + " is not a readable model (not a zip archive, or damaged): "
                            + ex.getMessage() + ".",
                    ex);
        }
    }

    private static KeiryoModel restore(ZipFile zip, Path file, String json, boolean graph, ModelMeta meta) {
        try {
            return ModelZipReader.restore(zip, file, json, graph, meta);
        } catch (KeiryoException ex) {
            throw ex;
        } catch (IOException | RuntimeException | OutOfMemoryError ex) {
            throw new KeiryoException(
                    "model file " + file + " could not be restored ("
                            + ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage())
                            + "); it may be damaged or from an incompatible version.",
                    ex);
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /**
     * One extra entry of a model file, or null when it has none by that name; an entry that holds
     * more than {@code max} bytes is refused as damage rather than read into memory.
     */
    public static byte[] readEntry(Path file, String entry, long max) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            return e == null ? null : ModelZipReader.bytes(zip, e, max, file);
        }
    }

    /** Graph configurations list vertices; chains (all files before graphs) list layer confs. */
    private static boolean isGraphConfiguration(String json, Path file) {
        try {
            return JSON.readTree(json).has("vertices");
        } catch (IOException ex) {
            throw ModelZipReader.damaged(file, "its configuration.json is not JSON");
        }
    }

    private static ModelMeta readMeta(ZipFile zip, ZipEntry e, Path file) {
        ModelMeta meta;
        try {
            meta = JSON.readValue(ModelZipReader.text(zip, e, file), ModelMeta.class);
        } catch (IOException ex) {
            throw ModelZipReader.damaged(file, "its " + META_ENTRY + " is not Keiryo model metadata");
        }
        if (meta.formatVersion() > ModelMeta.FORMAT_VERSION) {
            throw new KeiryoException("model file " + file + " has metadata format " + meta.formatVersion()
                    + ", newer than this Keiryo reads (" + ModelMeta.FORMAT_VERSION + "); upgrade Keiryo.");
        }
        return meta;
    }
}
