package dev.keiryo.engine.api.backend;

/** This installation, machine and backend, as {@code keiryo info} shows them. */
public record SystemInfo(
        String keiryoVersion,
        String dl4jVersion,
        String javaVersion,
        String javaVendor,
        String osName,
        String osArch,
        String cpuModel,
        Backend backend) {}
