package dev.keiryo.engine.compress.pack;

import java.util.List;

/** A checked file split into its parts: configuration JSON, metadata JSON (null if none), tensors. */
record PackContents(int version, int flags, String configJson, byte[] metaJson, List<StoredTensor> tensors) {}
