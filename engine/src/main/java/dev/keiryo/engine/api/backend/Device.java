package dev.keiryo.engine.api.backend;

/**
 * One device Keiryo can train on.
 *
 * @param id "cpu" or "cuda:N", as written in {@code --devices} and {@code train.devices}
 * @param memoryBytes total device memory; for the CPU, the JVM's maximum heap
 */
public record Device(String id, String name, long memoryBytes) {
    public static final String CPU = "cpu";

    public boolean isCpu() {
        return CPU.equals(id);
    }
}
