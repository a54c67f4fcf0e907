package dev.keiryo.engine.data;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one pass over a streamed folder before training: every image is decoded and resized, on all
 * cores, to learn what the in-memory read learns (whether any image has colour, which files are
 * bad) without keeping the pixels. Files are judged in folder order, so the first bad file named
 * is the one the in-memory read would stop at.
 */
final class ImageScan {
    /** Files per task: enough to make a task's overhead small, few enough to spread over threads. */
    private static final int CHUNK = 64;

    private ImageScan() {}

    /**
     * The readable files in order with their labels, whether any has colour, and the bad files
     * skipped.
     */
    record Result(List<Path> files, List<Integer> labels, boolean colour, List<Path> skipped) {}

    /** What one file turned out to be: null error for a readable image. */
    private record Judged(boolean colour, DataFormatException error) {}

    static Result scan(List<Path> classDirs, List<String> names, int side, boolean skipBad) {
        List<Path> all = new ArrayList<>();
        List<Integer> allLabels = new ArrayList<>();
        for (Path dir : classDirs) {
            int label = names.indexOf(dir.getFileName().toString());
            for (Path file : ImageFolder.listFiles(dir)) {
                if (Files.isRegularFile(file)) {
                    all.add(file);
                    allLabels.add(label);
                }
            }
        }
        int chunks = (all.size() + CHUNK - 1) / CHUNK;
        List<Path> kept = new ArrayList<>(all.size());
        List<Integer> labels = new ArrayList<>(all.size());
        List<Path> skipped = new ArrayList<>();
        boolean colour = false;
        try (Prefetch<Judged[]> judged =
                new Prefetch<>(chunks, 4 * Prefetch.THREADS, c -> judge(all, c, side), new LongAdder())) {
            for (int c = 0; c < chunks; c++) {
                Judged[] chunk = judged.next();
                for (int k = 0; k < chunk.length; k++) {
                    int i = c * CHUNK + k;
                    if (chunk[k].error() == null) {
                        colour |= chunk[k].colour();
                        kept.add(all.get(i));
                        labels.add(allLabels.get(i));
                    } else if (skipBad) {
                        skipped.add(all.get(i));
                    } else {
                        throw ImageFolder.explain(chunk[k].error());
                    }
                }
            }
        }
        return new Result(kept, labels, colour, skipped);
    }

    private static Judged[] judge(List<Path> files, int chunk, int side) {
        int from = chunk * CHUNK;
        int to = Math.min(files.size(), from + CHUNK);
        Judged[] out = new Judged[to - from];
        for (int i = from; i < to; i++) {
            try {
                BufferedImage img = ImageDecoder.decode(files.get(i));
                out[i - from] = new Judged(!ImageDecoder.grey(ImageDecoder.resizedRgb(img, side)), null);
            } catch (DataFormatException e) {
                out[i - from] = new Judged(false, e);
            }
        }
        return out;
    }
}
