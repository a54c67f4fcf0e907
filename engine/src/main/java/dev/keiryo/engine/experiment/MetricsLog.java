package dev.keiryo.engine.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.Mappers;
import dev.keiryo.engine.api.run.MetricRow;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends measurements to a run's metrics.csv and metrics.jsonl. Each row goes out as one whole
 * line in one write, so after a crash only the last line can be partial, and readers skip it.
 * Thread-safe: data-parallel workers may log concurrently.
 */
public final class MetricsLog implements Closeable {

    public static final String CSV_FILE = "metrics.csv";
    public static final String JSONL_FILE = "metrics.jsonl";
    public static final String CSV_HEADER = "time_ms,epoch,iteration,phase,name,value";

    private static final ObjectWriter LINE_WRITER = Mappers.json().writer().without(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectReader LINE_READER = Mappers.json().readerFor(MetricRow.class);

    private final Path csvFile;
    private final Path jsonlFile;
    private final Clock clock;
    private final OutputStream csv;
    private final OutputStream jsonl;

    MetricsLog(Path dir, Clock clock) {
        this.csvFile = dir.resolve(CSV_FILE);
        this.jsonlFile = dir.resolve(JSONL_FILE);
        this.clock = clock;
        this.csv = openForAppend(csvFile, CSV_HEADER + "\n");
        try {
            this.jsonl = openForAppend(jsonlFile, "");
        } catch (RuntimeException e) {
            closeQuietly(csv);
            throw e;
        }
    }

    /** Records {@code value} now. */
    public void log(int epoch, long iteration, String phase, String name, double value) {
        log(new MetricRow(clock.millis(), epoch, iteration, phase, name, value));
    }

    public synchronized void log(MetricRow row) {
        String csvLine = row.timeMs() + "," + row.epoch() + "," + row.iteration() + "," + csvField(row.phase()) + ","
                + csvField(row.name()) + "," + row.value() + "\n";
        String jsonLine;
        try {
            jsonLine = LINE_WRITER.writeValueAsString(row) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metric rows always serialize", e);
        }
        append(csv, csvFile, csvLine);
        append(jsonl, jsonlFile, jsonLine);
    }

    @Override
    public synchronized void close() {
        closeQuietly(csv);
        closeQuietly(jsonl);
    }

    /**
     * The rows of a run's metrics.jsonl, skipping lines that do not parse (a crash can cut the
     * last one short); empty if the run has logged nothing.
     */
    public static List<MetricRow> read(Path runDir) {
        Path file = runDir.resolve(JSONL_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new KeiryoException(file + ": cannot be read (" + e + "); check permissions.", e);
        }
        List<MetricRow> rows = new ArrayList<>(lines.size());
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(LINE_READER.readValue(line));
            } catch (JsonProcessingException partial) {
                // A line cut short by a crash; the rows before it are still good.
            }
        }
        return rows;
    }

    private static OutputStream openForAppend(Path file, String header) {
        try {
            // A crash may have left a partial last line; end it so new rows start on their own line.
            boolean empty = !Files.exists(file) || Files.size(file) == 0;
            boolean needsNewline = !empty && lastByte(file) != '\n';
            OutputStream out = new FileOutputStream(file.toFile(), true);
            try {
                if (needsNewline) {
                    out.write('\n');
                }
                if (empty && !header.isEmpty()) {
                    out.write(header.getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
            } catch (IOException e) {
                closeQuietly(out);
                throw e;
            }
            return out;
        } catch (IOException e) {
            throw new KeiryoException(
                    file + ": cannot be opened for writing (" + e + "); check free disk space and permissions.", e);
        }
    }

    private static int lastByte(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, ch.size() - 1);
            return b.get(0);
        }
    }

    private static void append(OutputStream out, Path file, String line) {
        try {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new KeiryoException(file + ": cannot be written (" + e + "); check free disk space.", e);
        }
    }

    private static String csvField(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Every row was flushed when written; a failing close loses nothing.
        }
    }
}
