package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the bundled sample in assets/data/fashion-mnist-sample from the full Fashion-MNIST.
 * A test only so it runs with the test class path; it is skipped unless asked for, because the
 * build must not need the full set:
 * {@code mvn -pl engine test -Dtest=FashionMnistSampleMaker -Dkeiryo.makeSample=true}
 * (optionally {@code -Dkeiryo.fashionMnist=DIR}).
 */
@EnabledIfSystemProperty(named = "keiryo.makeSample", matches = "true")
class FashionMnistSampleMaker {
    static final long SEED = 20240601L;
    static final int TRAIN_PER_CLASS = 500;
    static final int TEST_PER_CLASS = 200;
    private static final long MAX_TOTAL_BYTES = 5L * 1024 * 1024;

    @Test
    void makeSample() throws IOException {
        String dir = System.getProperty("keiryo.fashionMnist");
        DataBundle full = DataSources.fashionMnist(dir == null ? null : Path.of(dir));
        Path out = Path.of("..", "assets", "data", "fashion-mnist-sample");
        Files.createDirectories(out);
        Dataset train = full.train().subset(stratified(full.train(), TRAIN_PER_CLASS, SEED));
        Dataset test = full.test().subset(stratified(full.test(), TEST_PER_CLASS, SEED + 1));
        IdxWriter.write(
                train, out.resolve("train-images-idx3-ubyte.gz"), out.resolve("train-labels-idx1-ubyte.gz"), true);
        IdxWriter.write(test, out.resolve("test-images-idx3-ubyte.gz"), out.resolve("test-labels-idx1-ubyte.gz"), true);
        long total = 0;
        try (var files = Files.list(out)) {
            for (Path p : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".gz"))::iterator) {
                total += Files.size(p);
            }
        }
        assertTrue(total <= MAX_TOTAL_BYTES, "sample is " + total + " bytes, over 5 MB");
    }

    /**
     * {@code perClass} examples of every class, chosen by a seeded shuffle of that class's
     * indices, returned in ascending order so the sample keeps the source file's ordering.
     */
    static int[] stratified(Dataset data, int perClass, long seed) {
        Random random = new Random(seed);
        int[] counts = data.classCounts();
        int[] picked = new int[perClass * counts.length];
        int n = 0;
        for (int k = 0; k < counts.length; k++) {
            int[] members = new int[counts[k]];
            for (int i = 0, m = 0; i < data.size(); i++) {
                if (data.label(i) == k) {
                    members[m++] = i;
                }
            }
            Splits.shuffle(members, random);
            if (members.length < perClass) {
                throw new IllegalStateException("class " + k + " has only " + members.length);
            }
            System.arraycopy(members, 0, picked, n, perClass);
            n += perClass;
        }
        Arrays.sort(picked);
        return picked;
    }
}
