package dev.keiryo.engine.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keiryo.engine.api.experiment.Mappers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {

    @TempDir
    Path tmp;

    @Test
    void capturesMachineAndVersions() {
        Map<String, String> backend = new HashMap<>(Map.of("name", "cpu"));
        Provenance p = Provenance.capture(42, backend);
        backend.put("late", "change");

        assertEquals(42, p.seed());
        assertEquals(Map.of("name", "cpu"), p.backend(), "the backend map is copied");
        assertEquals("1.0.0-M2.1", p.dl4jVersion());
        assertEquals("1.0.0-M2.1", p.nd4jVersion());
        assertFalse(p.keiryoVersion().isBlank());
        assertEquals(System.getProperty("java.version"), p.javaVersion());
        assertTrue(p.availableProcessors() >= 1);
        for (String s :
                new String[] {p.javaVendor(), p.osName(), p.osArch(), p.cpuModel(), p.hostname(), p.timestamp()}) {
            assertNotNull(s);
            assertFalse(s.isBlank());
        }
    }

    @Test
    void storesAsJsonInARun() throws IOException {
        Run run = new RunStore(tmp, Clock.systemUTC()).create("p");
        run.writeJson(Run.PROVENANCE_FILE, Provenance.capture(7, null).withBackend(Map.of("threads", "2")));
        JsonNode json =
                Mappers.json().readTree(run.dir().resolve(Run.PROVENANCE_FILE).toFile());
        assertEquals(7, json.get("seed").asLong());
        assertEquals("2", json.get("backend").get("threads").asText());
        assertEquals(
                Provenance.class,
                Mappers.json().treeToValue(json, Provenance.class).getClass());
    }
}
