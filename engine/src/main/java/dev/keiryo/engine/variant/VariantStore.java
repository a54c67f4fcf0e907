package dev.keiryo.engine.variant;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.run.Variant;
import dev.keiryo.engine.api.run.VariantMetrics;
import dev.keiryo.engine.api.run.VariantTable;
import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.compress.pack.PackReport;
import dev.keiryo.engine.compress.pack.PackWriter;
import dev.keiryo.engine.compress.pack.TensorRow;
import dev.keiryo.engine.experiment.Run;
import dev.keiryo.engine.model.KeiryoModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The variants of one run: each saved as a packed model file ({@code variants/<id>.kpack}, whose
 * byte size is the size reported), listed in {@code variants.json} and {@code variants.csv}, both
 * rewritten atomically after every addition so a reader never sees a half-written list.
 */
public final class VariantStore {
    public static final String DIR = "variants";
    public static final String INDEX = "variants.json";
    public static final String TABLE = "variants.csv";

    /**
     * Measures each new variant. The store only records the figures; how a model is evaluated
     * belongs to the jobs, which build the store.
     */
    @FunctionalInterface
    public interface Measurer {
        VariantMetrics measure(KeiryoModel model, long fileBytes, String fileEncoding, double bits);
    }

    private static final Pattern ID_FILE = Pattern.compile("v(\\d+)\\.kpack");

    private final Run run;
    private final Measurer measurer;
    private final List<Variant> variants = new ArrayList<>();
    private int nextId;

    /**
     * The run's variants, starting with those it already recorded, so that a resumed run adds to
     * them with the ids an uninterrupted run would give. A packed file past the last listed id is
     * a variant that a stopped run wrote but never listed nor reported (it is listed the moment it
     * is measured): it is removed, and made again. Only the process that owns the run (and holds its lock) makes a
     * store.
     */
    public VariantStore(Run run, Measurer measurer) {
        this.run = run;
        this.measurer = measurer;
        variants.addAll(read(run));
        for (Variant v : variants) {
            nextId = Math.max(nextId, idNumber(v.id()) + 1);
        }
        final int listedEnd = nextId;
        Path dir = run.dir().resolve(DIR);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Matcher m = ID_FILE.matcher(f.getFileName().toString());
                    if (!m.matches()) {
                        continue;
                    }
                    if (idNumber("v" + m.group(1)) >= listedEnd) {
                        Files.deleteIfExists(f);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not tidy " + dir, e);
            }
        }
    }

    private static int idNumber(String id) {
        try {
            return id.startsWith("v") ? Integer.parseInt(id.substring(1)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Packs, measures and records {@code model} as a new variant made from {@code parent} by {@code step}. */
    public synchronized Variant add(
            KeiryoModel model, String parent, String step, Map<String, Object> params, double bits) {
        return add(model, model, PackOptions.defaults(), parent, step, params, bits);
    }

    /**
     * As above, for a quantized model: the file is written from {@code packFrom} (the float model)
     * with {@code options}' codec policy, so it decodes to exactly {@code model}'s values without
     * quantizing twice.
     */
    public synchronized Variant add(
            KeiryoModel model,
            KeiryoModel packFrom,
            PackOptions options,
            String parent,
            String step,
            Map<String, Object> params,
            double bits) {
        if (parent != null && find(parent).isEmpty()) {
            throw new IllegalArgumentException("unknown parent variant " + parent);
        }
        String id = "v" + nextId;
        String file = DIR + "/" + id + ".kpack";
        PackReport report = PackWriter.write(packFrom, run.file(file), options);
        VariantMetrics metrics = measurer.measure(model, report.totalBytes(), encoding(report), bits);
        Variant v = new Variant(
                id, parent, step, params, metrics, file, Instant.now().toString());
        variants.add(v);
        nextId++;
        run.writeJson(INDEX, variants);
        run.writeText(TABLE, VariantTable.csv(variants));
        return v;
    }

    /** The variants an earlier run recorded, oldest first; empty if it made none. */
    public static List<Variant> read(Run run) {
        if (!Files.isRegularFile(run.file(INDEX))) {
            return List.of();
        }
        List<Variant> listed = run.readJsonList(INDEX, Variant.class);
        for (Variant v : listed) {
            if (v == null || v.id() == null || v.modelFile() == null || !ownFile(v.modelFile())) {
                throw new KeiryoException(run.file(INDEX) + " lists a variant whose file is not one of the run's"
                        + " variants/<id>.kpack (" + (v == null ? "null" : v.modelFile()) + "); the file was edited"
                        + " or damaged: restore it from a copy, or start a new run.");
            }
        }
        return listed;
    }

    /** A variant's file is a packed file directly inside the run's variants folder, nothing else. */
    private static boolean ownFile(String modelFile) {
        return modelFile.startsWith(DIR + "/")
                && ID_FILE.matcher(modelFile.substring(DIR.length() + 1)).matches();
    }

    public synchronized List<Variant> variants() {
        return List.copyOf(variants);
    }

    public synchronized Optional<Variant> find(String id) {
        return variants.stream().filter(v -> v.id().equals(id)).findFirst();
    }

    public KeiryoModel load(Variant v) {
        return PackReader.read(run.file(v.modelFile()));
    }

    /** "dense", "sparse", "quantized" or "mixed", from the encodings chosen for the large weight tensors. */
    static String encoding(PackReport report) {
        TreeSet<String> kinds = new TreeSet<>();
        for (TensorRow t : report.tensors()) {
            if (t.elements() > 1024) {
                String e = t.encoding().toLowerCase(Locale.ROOT);
                kinds.add(e.startsWith("sparse") ? "sparse" : e.startsWith("dense") ? "dense" : "quantized");
            }
        }
        return kinds.size() == 1 ? kinds.first() : kinds.isEmpty() ? "dense" : "mixed";
    }
}
