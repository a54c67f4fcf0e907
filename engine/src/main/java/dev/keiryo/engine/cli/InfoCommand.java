package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.backend.Backend;
import dev.keiryo.engine.api.backend.SystemInfo;
import dev.keiryo.engine.api.engine.Engine;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "info", description = "Show the backend, native build, layer helpers and thread settings in force.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        SystemInfo p = Engine.local().systemInfo();
        Backend b = p.backend();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keiryo", p.keiryoVersion());
            m.put("dl4j", p.dl4jVersion());
            m.put("java", p.javaVersion() + " (" + p.javaVendor() + ")");
            m.put("os", p.osName() + " " + p.osArch());
            m.put("cpu", p.cpuModel());
            m.put("backend", b.facts());
            m.put("devices", b.devices());
            out.println(Json.line(m));
            return ExitCode.OK;
        }
        out.printf(
                "Keiryo      %s (DL4J %s, Java %s %s)%n",
                p.keiryoVersion(), p.dl4jVersion(), p.javaVersion(), p.javaVendor());
        out.printf("Machine     %s, %d cores, %s %s%n", p.cpuModel(), b.cpuCores(), p.osName(), p.osArch());
        out.printf("Backend     %s%n", b.backend());
        out.printf(
                "Native      %s (oneDNN %s)%n",
                b.nativeBuild(), b.oneDnnInBuild() ? "in the build" : "not in the build");
        out.printf(
                "Helpers     %s%n",
                b.helpersActive()
                        ? "on (DL4J's oneDNN layer helpers are used for conv, pooling, batch norm)"
                        : "OFF (convolutions run about 4x slower; see docs/speed.md, troubleshooting)");
        out.printf("Threads     OpenMP %d%n", b.ompThreads());
        b.threadVariables().forEach((k, v) -> out.printf("            %-21s %s%n", k, v));
        out.printf("Memory      %s%n", b.memory());
        out.printf("            %s%n", b.allocator());
        for (var d : b.devices()) {
            out.printf(
                    "Devices     %-8s %s%n",
                    d.id(), d.name() + (d.isCpu() ? "" : String.format(" (%,d MiB)", d.memoryBytes() >> 20)));
        }
        if (!b.cudaUsable()) {
            out.printf("            cuda     none: %s%n", b.cudaReason());
        }
        return ExitCode.OK;
    }
}
