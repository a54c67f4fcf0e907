package dev.keiryo.engine.compress.pack;

import java.nio.ByteBuffer;
import org.nd4j.linalg.api.buffer.DataType;

/** One tensor table entry as read, its payload still encoded. */
record StoredTensor(int layer, String key, DataType dataType, long[] shape, int tag, ByteBuffer payload) {

    /** The parameter's DL4J name: graph files store it whole, layer-list files as layer and key. */
    String name(boolean graph) {
        return graph ? key : layer + "_" + key;
    }
}
