package dev.keiryo.engine.api.backend;

/** The versions of Keiryo and what it runs on, read without starting the native backend ({@code --version}). */
public record Versions(String keiryo, String dl4j, String java) {}
