package dev.keiryo.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.api.run.MetricRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {

    private static final Clock FIXED = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    @Test
    void oneHeaderAndOneRowPerWrite() throws IOException {
        try (MetricsLog log = new MetricsLog(tmp, FIXED)) {
            for (int i = 0; i < 5; i++) {
                log.log(1, i, "train", "loss", 1.0 / (i + 1));
            }
        }
        List<String> csv = Files.readAllLines(tmp.resolve(MetricsLog.CSV_FILE));
        assertEquals(6, csv.size());
        assertEquals("time_ms,epoch,iteration,phase,name,value", csv.get(0));
        assertEquals("1700000000000,1,0,train,loss,1.0", csv.get(1));
        assertEquals(5, Files.readAllLines(tmp.resolve(MetricsLog.JSONL_FILE)).size());
        assertEquals(
                new MetricRow(1_700_000_000_000L, 1, 4, "train", "loss", 0.2),
                MetricsLog.read(tmp).get(4));
    }

    @Test
    void reopeningAppendsWithoutSecondHeader() throws IOException {
        try (MetricsLog log = new MetricsLog(tmp, FIXED)) {
            log.log(1, 1, "train", "loss", 0.5);
        }
        try (MetricsLog log = new MetricsLog(tmp, FIXED)) {
            log.log(2, 2, "validation", "accuracy", 0.9);
        }
        List<String> csv = Files.readAllLines(tmp.resolve(MetricsLog.CSV_FILE));
        assertEquals(3, csv.size());
        assertEquals(1, csv.stream().filter(l -> l.startsWith("time_ms")).count());
        assertEquals(2, MetricsLog.read(tmp).size());
    }

    @Test
    void partialLastLineFromACrashIsSkippedAndNotContinued() throws IOException {
        try (MetricsLog log = new MetricsLog(tmp, FIXED)) {
            log.log(1, 1, "train", "loss", 0.5);
        }
        Files.writeString(tmp.resolve(MetricsLog.JSONL_FILE), "{\"time_ms\":17000", StandardOpenOption.APPEND);
        Files.writeString(tmp.resolve(MetricsLog.CSV_FILE), "17000,1", StandardOpenOption.APPEND);
        assertEquals(1, MetricsLog.read(tmp).size());

        try (MetricsLog log = new MetricsLog(tmp, FIXED)) {
            log.log(1, 2, "train", "loss", 0.4);
        }
        List<MetricRow> rows = MetricsLog.read(tmp);
        assertEquals(List.of(0.5, 0.4), rows.stream().map(MetricRow::value).toList());
        List<String> csv = Files.readAllLines(tmp.resolve(MetricsLog.CSV_FILE));
        assertEquals("17000,1", csv.get(2));
        assertTrue(csv.get(3).endsWith(",1,2,train,loss,0.4"), csv.get(3));
    }

    @Test
    void textIsQuotedForCsvAndNanSurvivesJson() throws IOException {
        try (MetricsLog log = new MetricsLog(tmp, FIXED)) {
            log.log(0, 0, "test", "top-1, \"strict\"", Double.NaN);
        }
        List<String> csv = Files.readAllLines(tmp.resolve(MetricsLog.CSV_FILE));
        assertEquals("1700000000000,0,0,test,\"top-1, \"\"strict\"\"\",NaN", csv.get(1));
        MetricRow row = MetricsLog.read(tmp).get(0);
        assertEquals("top-1, \"strict\"", row.name());
        assertTrue(Double.isNaN(row.value()));
    }

    @Test
    void runHandsOutOneLogAndClosesIt() throws IOException {
        RunStore store = new RunStore(tmp.resolve("runs"), FIXED);
        try (Run run = store.create("metrics")) {
            run.metrics().log(1, 1, "train", "loss", 0.3);
            run.metrics().log(1, 2, "train", "loss", 0.2);
        }
        Path dir = store.list().get(0).dir();
        assertEquals(3, Files.readAllLines(dir.resolve(MetricsLog.CSV_FILE)).size());
        assertEquals(List.of(), MetricsLog.read(tmp.resolve("elsewhere")));
    }
}
