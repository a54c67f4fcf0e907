package dev.keiryo.engine.cli;

import dev.keiryo.engine.experiment.Provenance;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        Provenance p = Provenance.capture(0, java.util.Map.of());
        return new String[] {
            "keiryo " + p.keiryoVersion() + " (DL4J " + p.dl4jVersion() + ", Java " + p.javaVersion() + ")"
        };
    }
}
