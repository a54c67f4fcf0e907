package dev.keiryo.engine.experiment;

import dev.keiryo.engine.backend.CpuInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What produced a run's results: software versions, machine, seed and time, so that numbers from
 * different runs can be compared knowingly. Stored as provenance.json in the run folder.
 *
 * @param dl4jVersion version of deeplearning4j-nn on the class path, or "unknown"
 * @param nd4jVersion version of nd4j-api on the class path, or "unknown"
 * @param timestamp ISO-8601 instant of capture
 * @param backend free-form facts about the ND4J backend (name, native build, helpers, threads)
 */
public record Provenance(
        String keiryoVersion,
        String dl4jVersion,
        String nd4jVersion,
        String javaVersion,
        String javaVendor,
        String osName,
        String osArch,
        String cpuModel,
        int availableProcessors,
        String hostname,
        long seed,
        String timestamp,
        Map<String, String> backend) {

    public Provenance {
        backend = backend == null ? Map.of() : Map.copyOf(new TreeMap<>(backend));
    }

    /**
     * Describes this process and machine. Never touches ND4J classes: loading them starts the
     * native library, which the caller starts later on its own terms and then describes in
     * {@code backend}.
     */
    public static Provenance capture(long seed, Map<String, String> backend) {
        return new Provenance(
                readKeiryoVersion(),
                readDl4jVersion(),
                pomVersion("org.nd4j", "nd4j-api"),
                System.getProperty("java.version", "unknown"),
                System.getProperty("java.vendor", "unknown"),
                System.getProperty("os.name", "unknown"),
                System.getProperty("os.arch", "unknown"),
                readCpuModel(),
                dev.keiryo.engine.backend.NativeSetup.cpuCores(),
                readHostname(),
                seed,
                Instant.now().toString(),
                backend);
    }

    /** A copy with {@code backend} replaced, for when the backend is described after capture. */
    public Provenance withBackend(Map<String, String> backend) {
        return new Provenance(
                keiryoVersion,
                dl4jVersion,
                nd4jVersion,
                javaVersion,
                javaVendor,
                osName,
                osArch,
                cpuModel,
                availableProcessors,
                hostname,
                seed,
                timestamp,
                backend);
    }

    private static String readKeiryoVersion() {
        String v = properties("/dev/keiryo/engine/version.properties").getProperty("version");
        return v == null || v.isBlank() || v.contains("${") ? "dev" : v.trim();
    }

    private static String readDl4jVersion() {
        try {
            // initialize=false: loads the class to read its package manifest without running any
            // static initializer that could reach into ND4J.
            Class<?> c = Class.forName(
                    "org.deeplearning4j.nn.multilayer.MultiLayerNetwork", false, Provenance.class.getClassLoader());
            String v = c.getPackage() == null ? null : c.getPackage().getImplementationVersion();
            if (v != null && !v.isBlank()) {
                return v;
            }
        } catch (ClassNotFoundException | LinkageError e) {
            // Fall through to the Maven metadata.
        }
        return pomVersion("org.deeplearning4j", "deeplearning4j-nn");
    }

    private static String pomVersion(String group, String artifact) {
        String v = properties("/META-INF/maven/" + group + "/" + artifact + "/pom.properties")
                .getProperty("version");
        return v == null || v.isBlank() ? "unknown" : v.trim();
    }

    private static Properties properties(String resource) {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream(resource)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // Provenance is best effort; a missing value reads as "unknown".
        }
        return p;
    }

    private static String readCpuModel() {
        String model = CpuInfo.firstProcessor().get("model name");
        return model == null || model.isEmpty() ? System.getProperty("os.arch", "unknown") : model;
    }

    /** Prefers cheap sources: InetAddress may wait on a DNS timeout on a badly configured host. */
    private static String readHostname() {
        for (String env : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        Path etc = Path.of("/etc/hostname");
        try {
            if (Files.isReadable(etc)) {
                String v = Files.readString(etc).trim();
                if (!v.isEmpty()) {
                    return v;
                }
            }
        } catch (IOException e) {
            // Try the network name next.
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
