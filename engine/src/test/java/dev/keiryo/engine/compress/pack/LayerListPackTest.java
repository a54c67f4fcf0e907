package dev.keiryo.engine.compress.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keiryo.engine.model.ArchitecturePreset;
import dev.keiryo.engine.model.KeiryoModel;
import dev.keiryo.engine.model.LayerLists;
import dev.keiryo.engine.model.Layers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Version 1 files (a DL4J layer list, tensors named by layer index and key) still read, as graphs
 * with the same weights; graphs with residual sums and batch norm round-trip through version 2.
 */
class LayerListPackTest {
    @TempDir
    Path dir;

    @Test
    void aVersionOneFileReadsAsAGraphWithTheSameOutputs() throws Exception {
        KeiryoModel m = TestNets.model(ArchitecturePreset.LENET5);
        MultiLayerNetwork chain = LayerLists.toChain(m.net(), "test");
        Path f = dir.resolve("v1.kpack");
        Files.write(f, versionOne(chain));

        KeiryoModel back = PackReader.read(f);
        assertEquals(Layers.names(m.net()), Layers.names(back.net()));
        TestNets.assertIdentical(m.net(), back.net(), TestNets.input(ArchitecturePreset.LENET5, 3, 1));
    }

    @Test
    void aResidualGraphWithBatchNormRoundTrips() {
        KeiryoModel m = TestNets.model(ArchitecturePreset.RESNET20);
        Path f = dir.resolve("resnet.kpack");
        PackReport r = PackWriter.write(m, f, PackOptions.defaults());
        KeiryoModel back = PackReader.read(f);
        assertEquals(m.net().getConfiguration(), back.net().getConfiguration());
        TestNets.assertIdentical(m.net(), back.net(), TestNets.input(ArchitecturePreset.RESNET20, 2, 1));
        assertEquals(
                true,
                r.tensors().stream().anyMatch(t -> t.name().equals("s2b1.proj.bn_log10stdev")),
                "tensors are named by vertex");
    }

    /** The layout Keiryo wrote before graphs: version 1, a layer list, u16 layer + short key per tensor. */
    private static byte[] versionOne(MultiLayerNetwork net) {
        byte[] config =
                TextBlocks.deflate(net.getLayerWiseConfigurations().toJson().getBytes(StandardCharsets.UTF_8));
        List<EncodedTensor> tensors = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            for (Map.Entry<String, INDArray> e : net.getLayer(i).paramTable().entrySet()) {
                tensors.add(EncodedTensor.of(i, e.getKey(), e.getValue(), List.of(Codecs.DENSE_F32), false));
            }
        }
        LittleEndianOut table = new LittleEndianOut(1 << 20);
        table.u32(tensors.size());
        for (EncodedTensor t : tensors) {
            byte[] key = t.key().getBytes(StandardCharsets.UTF_8);
            table.u16(t.layer())
                    .u16(key.length)
                    .bytes(key)
                    .u8(PackFormat.dtypeCode(t.dataType()))
                    .u8(t.shape().length);
            for (long d : t.shape()) {
                table.u64(d);
            }
            table.u16(t.codec().tag()).u64(t.payload().length).bytes(t.payload());
        }
        byte[] tableBytes = table.toByteArray();
        LittleEndianOut out = new LittleEndianOut(1 << 20);
        out.bytes(PackFormat.MAGIC)
                .u16(1)
                .u16(PackFormat.FLAG_TEXT_DEFLATED)
                .u64(config.length)
                .u64(0)
                .u64(tableBytes.length);
        out.i32(out.crc32());
        out.bytes(config).bytes(new byte[0]).bytes(tableBytes);
        out.i32(out.crc32());
        return out.toByteArray();
    }
}
