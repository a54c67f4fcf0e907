package dev.keiryo.engine.cli;

import dev.keiryo.engine.api.backend.Versions;
import dev.keiryo.engine.api.engine.Engine;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        Versions v = Engine.local().versions();
        return new String[] {"keiryo " + v.keiryo() + " (DL4J " + v.dl4j() + ", Java " + v.java() + ")"};
    }
}
