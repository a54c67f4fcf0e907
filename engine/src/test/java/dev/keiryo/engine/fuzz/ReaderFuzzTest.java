package dev.keiryo.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.compress.QuantSpec;
import dev.keiryo.engine.api.experiment.Experiment;
import dev.keiryo.engine.api.experiment.ExperimentFile;
import dev.keiryo.engine.compress.pack.EncodingChoice;
import dev.keiryo.engine.compress.pack.PackOptions;
import dev.keiryo.engine.compress.pack.PackReader;
import dev.keiryo.engine.compress.pack.PackWriter;
import dev.keiryo.engine.compress.quant.Quantizer;
import dev.keiryo.engine.data.Cifar;
import dev.keiryo.engine.data.CsvReader;
import dev.keiryo.engine.data.IdxReader;
import dev.keiryo.engine.data.ImageFolder;
import dev.keiryo.engine.data.LabelColumn;
import dev.keiryo.engine.data.Normalizer;
import dev.keiryo.engine.data.TestCifar;
import dev.keiryo.engine.model.Architecture;
import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.InputShape;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.ModelFactory;
import dev.keiryo.engine.model.ModelIO;
import dev.keiryo.engine.model.ModelMeta;
import dev.keiryo.engine.onnx.OnnxImporter;
import dev.keiryo.engine.train.TrainSettings;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every reader of a user's file, fed valid files mutated by {@link Mutator}: the outcome is a value or
 * Keiryo's one-sentence error naming the file, never another exception, a hang or a runaway
 * allocation. {@code verify} runs {@link FuzzRunner#CASES} cases per reader; the long form is
 * {@code ./mvnw -B -ntp -o -pl engine test -Pfuzz} (100,000 each; see docs/reliability.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReaderFuzzTest {
    /** Heap one case may allocate: the inputs are a few KB, so tens of MB means a length was believed. */
    private static final long DATA_LIMIT = 64L << 20;
    /** Models also build a DL4J network (configuration parsing, layer objects): more garbage, same idea. */
    private static final long MODEL_LIMIT = 192L << 20;

    @TempDir
    Path dir;

    @BeforeAll
    void startReport() throws IOException {
        Files.createDirectories(Path.of("target"));
    }

    /** Cases of the default seed that failed in the long form once, run in every build since. */
    private static final long[] FOUND_ONNX = {10294, 22368, 26374, 58838};

    private static final long[] FOUND_IMAGES = {50971};

    private void checkFound(FuzzRunner.Report r) {
        assertTrue(
                r.failures().isEmpty(), () -> String.join("\n  ", r.failures().values()));
    }

    private void check(FuzzRunner.Report r) {
        assertTrue(
                r.failures().isEmpty(),
                () -> r.line() + "; seed " + FuzzRunner.SEED + ", failures:\n  "
                        + String.join("\n  ", r.failures().values()));
        assertEquals(FuzzRunner.expectedCases(), r.cases());
    }

    @Test
    void idx() throws IOException {
        Path d = Files.createDirectories(dir.resolve("idx"));
        byte[][] seeds = {idxImages(4, 5, 5), idxLabels(3, 1, 4, 1)};
        Path[] files = {d.resolve("images-idx3-ubyte"), d.resolve("labels-idx1-ubyte")};
        check(FuzzRunner.run("IDX", d.toString(), DATA_LIMIT, i -> {
            int which = (int) (i % 2);
            Files.write(files[which], Mutator.mutate(seeds[which], FuzzRunner.SEED, i));
            Files.write(files[1 - which], seeds[1 - which]);
            IdxReader.read(files[0], files[1], "fuzz", 10, List.of());
        }));
    }

    @Test
    void csv() throws IOException {
        Path d = Files.createDirectories(dir.resolve("csv"));
        byte[] seed = """
                sepal,petal,width,label
                5.1,3.5,1.4,setosa
                4.9,3.0,1.4,setosa
                7.0,3.2,4.7,versicolor
                6.4,3.2,4.5,versicolor
                6.3,3.3,6.0,virginica
                "5.8",2.7,5.1,virginica
                """.getBytes(StandardCharsets.UTF_8);
        Path f = d.resolve("iris.csv");
        check(FuzzRunner.run("CSV", f.getFileName().toString(), DATA_LIMIT, i -> {
            Files.write(f, Mutator.mutate(seed, FuzzRunner.SEED, i));
            CsvReader.read(f, LabelColumn.LAST);
        }));
    }

    @Test
    void imageFolder() throws IOException {
        Path root = dir.resolve("images");
        Map<Path, byte[]> files = new LinkedHashMap<>();
        files.put(root.resolve("cat/a.png"), image("png", 6, 6, 0x336699));
        files.put(root.resolve("cat/b.jpg"), image("jpg", 7, 5, 0x996633));
        files.put(root.resolve("dog/c.png"), image("png", 6, 6, 0x10a010));
        files.put(root.resolve("dog/d.bmp"), image("bmp", 4, 4, 0xffffff));
        List<Path> paths = new ArrayList<>(files.keySet());
        for (Path p : paths) {
            Files.createDirectories(p.getParent());
        }
        FuzzRunner.Case read = i -> {
            Path target = paths.get((int) (i % paths.size()));
            for (Path p : paths) {
                Files.write(p, p.equals(target) ? Mutator.mutate(files.get(p), FuzzRunner.SEED, i) : files.get(p));
            }
            ImageFolder.read(root, new ImageFolder.Options(null, false, 0.25, 7));
        };
        check(FuzzRunner.run("image folder", root.toString(), DATA_LIMIT, read));
        // Found by the long form: a BMP declaring 268 MB of embedded JPEG.
        checkFound(FuzzRunner.run("image folder (found)", root.toString(), DATA_LIMIT, FOUND_IMAGES, read));
    }

    @Test
    void cifarBinary() throws IOException {
        Path d = TestCifar.folder(dir.resolve("cifar"), Cifar.Kind.CIFAR10, 2);
        List<Path> paths = new ArrayList<>();
        try (var s = Files.list(d)) {
            s.sorted().forEach(paths::add);
        }
        Map<Path, byte[]> seeds = new LinkedHashMap<>();
        for (Path p : paths) {
            seeds.put(p, Files.readAllBytes(p));
        }
        check(FuzzRunner.run("CIFAR binary", d.toString(), DATA_LIMIT, i -> {
            Path target = paths.get((int) (i % paths.size()));
            for (Path p : paths) {
                Files.write(p, p.equals(target) ? Mutator.mutate(seeds.get(p), FuzzRunner.SEED, i) : seeds.get(p));
            }
            Cifar.load(Cifar.Kind.CIFAR10, d, k -> null, d);
        }));
    }

    @Test
    void kpack() throws IOException {
        Path d = Files.createDirectories(dir.resolve("kpack"));
        KeiryoModel m = tinyModel();
        QuantSpec codebook = new QuantSpec(QuantSpec.Mode.CODEBOOK, 4, false, false, Set.of("W"), true, true);
        QuantSpec affine = new QuantSpec(QuantSpec.Mode.AFFINE, 8, true, true, Set.of("W"), false, false);
        List<byte[]> seeds = List.of(
                pack(m, d.resolve("auto.kpack"), PackOptions.defaults()),
                pack(m, d.resolve("sparse.kpack"), PackOptions.defaults().withEncoding(EncodingChoice.SPARSE_RELATIVE)),
                pack(m, d.resolve("codebook.kpack"), Quantizer.packOptions(PackOptions.defaults(), codebook)),
                pack(m, d.resolve("affine.kpack"), Quantizer.packOptions(PackOptions.defaults(), affine)));
        Path f = d.resolve("model.kpack");
        check(FuzzRunner.run("kpack", f.getFileName().toString(), MODEL_LIMIT, i -> {
            byte[] b = Mutator.mutate(seeds.get((int) (i % seeds.size())), FuzzRunner.SEED, i);
            // Two cases in three fix the checksums up, as a crafted file would, to reach the parser behind them.
            Files.write(f, i % 3 == 0 ? b : withChecksums(b));
            PackReader.read(f);
        }));
    }

    @Test
    void modelZip() throws IOException {
        Path d = Files.createDirectories(dir.resolve("zip"));
        Path source = d.resolve("source.zip");
        ModelIO.save(tinyModel(), source, true, false);
        byte[] whole = Files.readAllBytes(source);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(source.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        List<String> names = new ArrayList<>(entries.keySet());
        Path f = d.resolve("model.zip");
        check(FuzzRunner.run("model zip", f.getFileName().toString(), MODEL_LIMIT, i -> {
            Files.write(f, zipCase(whole, entries, names, i));
            ModelIO.load(f);
        }));
    }

    @Test
    void onnx() throws IOException {
        Path d = Files.createDirectories(dir.resolve("onnx"));
        List<byte[]> seeds = List.of(resource("/onnx/mlp.onnx"), resource("/onnx/dilated_conv.onnx"));
        Path f = d.resolve("model.onnx");
        FuzzRunner.Case read = i -> {
            Files.write(f, Mutator.mutate(seeds.get((int) (i % seeds.size())), FuzzRunner.SEED, i));
            OnnxImporter.read(f, List.of(), Normalizer.none());
        };
        check(FuzzRunner.run("ONNX", f.getFileName().toString(), MODEL_LIMIT, read));
        // Found by the long form: nodes short of inputs or outputs, a tensor name with a line break, a Gemm by a
        // vector.
        checkFound(FuzzRunner.run("ONNX (found)", f.getFileName().toString(), MODEL_LIMIT, FOUND_ONNX, read));
    }

    @Test
    void experimentFiles() throws IOException {
        Path d = Files.createDirectories(dir.resolve("experiment"));
        Path examples = Path.of("..", "assets", "experiments");
        List<byte[]> yaml = new ArrayList<>();
        for (String name :
                List.of("lenet5-sample.yaml", "deep-compression-lenet5-fashion.yaml", "distill-fashion.yaml")) {
            yaml.add(Files.readAllBytes(examples.resolve(name)));
        }
        Experiment parsed = ExperimentFile.read(examples.resolve("parallel-compare-fashion.yaml"));
        Path jsonSeed = d.resolve("seed.json");
        ExperimentFile.write(parsed, jsonSeed);
        byte[] json = Files.readAllBytes(jsonSeed);
        Path y = d.resolve("experiment.yaml");
        Path j = d.resolve("experiment.json");
        check(FuzzRunner.run("experiment YAML/JSON", "experiment.", DATA_LIMIT, i -> {
            boolean asJson = i % 4 == 3;
            Path f = asJson ? j : y;
            Files.write(f, Mutator.mutate(asJson ? json : yaml.get((int) (i % 4) % 3), FuzzRunner.SEED, i));
            ExperimentFile.read(f);
        }));
    }

    // ------------------------------------------------------------------------------------ fixtures

    /** A model zip case: the zip's bytes mutated, one entry's content mutated, or an entry stored twice. */
    private static byte[] zipCase(byte[] whole, Map<String, byte[]> entries, List<String> names, long i)
            throws IOException {
        SplittableRandom r = new SplittableRandom(FuzzRunner.SEED ^ i);
        int mode = r.nextInt(8);
        if (mode < 3) {
            return Mutator.mutate(whole, FuzzRunner.SEED, i);
        }
        String victim = names.get(r.nextInt(names.size()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // ZipOutputStream refuses a second entry of one name, so the copy is written under a
        // placeholder of the same length and renamed in the bytes afterwards.
        String twin = mode == 7 ? "#".repeat(victim.length()) : null;
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (String name : names) {
                byte[] content = entries.get(name);
                z.putNextEntry(new ZipEntry(name));
                z.write(name.equals(victim) && twin == null ? Mutator.mutate(content, FuzzRunner.SEED, i) : content);
                z.closeEntry();
                if (name.equals(victim) && twin != null) {
                    z.putNextEntry(new ZipEntry(twin));
                    z.write(Mutator.mutate(content, FuzzRunner.SEED, i));
                    z.closeEntry();
                }
            }
        }
        byte[] b = out.toByteArray();
        if (twin != null) {
            replaceAll(b, twin.getBytes(StandardCharsets.UTF_8), victim.getBytes(StandardCharsets.UTF_8));
        }
        return b;
    }

    private static void replaceAll(byte[] b, byte[] from, byte[] to) {
        for (int i = 0; i + from.length <= b.length; i++) {
            if (java.util.Arrays.equals(b, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, b, i, to.length);
            }
        }
    }

    private static KeiryoModel tinyModel() {
        InputShape in = new InputShape(1, 2, 2);
        ComputationGraph net = ModelFactory.build(
                new Architecture(ArchitecturePreset.MLP, 1.0, List.of(6), 0.0), in, 3, TrainSettings.defaults());
        // Some exact zeros, so the sparse and Huffman encodings have something to do.
        for (INDArray p : net.paramTable().values()) {
            for (long k = 0; k < p.length(); k += 3) {
                p.putScalar(k, 0f);
            }
        }
        return new KeiryoModel(
                net,
                new ModelMeta(
                        ModelMeta.FORMAT_VERSION, "mlp", in, false, 3, List.of("a", "b", "c"), Normalizer.scale(255f)));
    }

    /** {@code b} with the preamble's CRC32 (bytes 36..39) and the whole file's (last four) recomputed. */
    private static byte[] withChecksums(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (b.length >= 40) {
            buf.putInt(36, crc(b, 36));
        }
        if (b.length >= 44) {
            buf.putInt(b.length - 4, crc(b, b.length - 4));
        }
        return b;
    }

    private static int crc(byte[] b, int length) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(b, 0, length);
        return (int) c.getValue();
    }

    private static byte[] pack(KeiryoModel m, Path f, PackOptions o) throws IOException {
        PackWriter.write(m, f, o);
        return Files.readAllBytes(f);
    }

    private static byte[] idxImages(int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
        b.putInt(0x00000803).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n * rows * cols; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    private static byte[] idxLabels(int... ys) {
        ByteBuffer b = ByteBuffer.allocate(8 + ys.length);
        b.putInt(0x00000801).putInt(ys.length);
        for (int y : ys) {
            b.put((byte) y);
        }
        return b.array();
    }

    private static byte[] image(String format, int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb ^ (x * 0x20 + y * 0x2000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] resource(String name) throws IOException {
        try {
            return Files.readAllBytes(
                    Path.of(ReaderFuzzTest.class.getResource(name).toURI()));
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
