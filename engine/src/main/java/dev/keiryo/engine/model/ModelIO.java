package dev.keiryo.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.io.AtomicWrite;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
        ModelMeta meta;
        boolean graph;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.getEntry("configuration.json") == null || zip.getEntry("coefficients.bin") == null) {
                throw new KeiryoException("model file " + file + " is a zip archive but not a DL4J/Keiryo model "
                        + "(no configuration.json or coefficients.bin); give a model written by Keiryo or DL4J.");
            }
            graph = isGraphConfiguration(zip);
            ZipEntry e = zip.getEntry(META_ENTRY);
            meta = e == null ? null : readMeta(zip, e, file);
        } catch (NoSuchFileException ex) {
            throw new KeiryoException("model file " + file + " does not exist.", ex);
        } catch (IOException ex) {
            throw new KeiryoException(
                    "model file " + file + " is not a readable model (not a zip archive, or damaged): "
                            + ex.getMessage() + ".",
                    ex);
        }
        try {
            return graph
                    ? new KeiryoModel(ModelSerializer.restoreComputationGraph(file.toFile(), true), meta)
                    : KeiryoModel.of(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true), meta);
        } catch (IOException | RuntimeException ex) {
            throw new KeiryoException(
                    "model file " + file + " could not be restored ("
                            + ex.getClass().getSimpleName() + ": " + ex.getMessage()
                            + "); it may be damaged or from an incompatible version.",
                    ex);
        }
    }

    /** One extra entry of a model file, or null when it has none by that name. */
    public static byte[] readEntry(Path file, String entry) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) {
                return null;
            }
            try (InputStream in = zip.getInputStream(e)) {
                return in.readAllBytes();
            }
        }
    }

    /** Graph configurations list vertices; chains (all files before graphs) list layer confs. */
    private static boolean isGraphConfiguration(ZipFile zip) throws IOException {
        try (InputStream in = zip.getInputStream(zip.getEntry("configuration.json"))) {
            return JSON.readTree(in).has("vertices");
        }
    }

    private static ModelMeta readMeta(ZipFile zip, ZipEntry e, Path file) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            ModelMeta meta = JSON.readValue(in, ModelMeta.class);
            if (meta.formatVersion() > ModelMeta.FORMAT_VERSION) {
                throw new KeiryoException("model file " + file + " has metadata format " + meta.formatVersion()
                        + ", newer than this Keiryo reads (" + ModelMeta.FORMAT_VERSION + "); upgrade Keiryo.");
            }
            return meta;
        }
    }
}
