package dev.keiryo.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keiryo.engine.train.TrainSettings;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.junit.jupiter.api.Test;

class ChannelGroupsTest {
    private static ComputationGraphConfiguration conf(ArchitecturePreset p) {
        return ModelFactory.build(Architecture.of(p), new InputShape(3, 32, 32), 10, TrainSettings.defaults())
                .getConfiguration();
    }

    @Test
    void resnet20CouplesEachStagesResidualStreamAndLeavesEachBlocksFirstConvolutionFree() {
        List<ChannelGroups.Group> groups = ChannelGroups.of(conf(ArchitecturePreset.RESNET20));
        // 3 residual streams + 9 first convolutions of the blocks
        assertEquals(12, groups.size());
        ChannelGroups.Group stage1 = ChannelGroups.of(conf(ArchitecturePreset.RESNET20), "stem");
        assertEquals(List.of("stem", "s1b1.conv2", "s1b2.conv2", "s1b3.conv2"), stage1.producers());
        assertEquals(List.of("s1b1.add", "s1b2.add", "s1b3.add"), stage1.adds());
        assertTrue(stage1.through().containsAll(List.of("stem.bn", "stem.relu", "s1b1.conv2.bn", "s1b3.relu")));
        assertTrue(stage1.consumers().containsAll(List.of("s1b1.conv1", "s2b1.conv1", "s2b1.proj")));
        assertFalse(stage1.fromInput());

        ChannelGroups.Group stage2 = ChannelGroups.of(conf(ArchitecturePreset.RESNET20), "s2b1.proj");
        assertEquals(Set.of("s2b1.conv2", "s2b1.proj", "s2b2.conv2", "s2b3.conv2"), Set.copyOf(stage2.producers()));
        ChannelGroups.Group stage3 = ChannelGroups.of(conf(ArchitecturePreset.RESNET20), "s3b3.conv2");
        assertTrue(stage3.through().contains("pool"), "global pooling keeps the channels");
        assertEquals(List.of("s3b2.conv1", "s3b3.conv1", "output"), stage3.consumers());
        ChannelGroups.Group free = ChannelGroups.of(conf(ArchitecturePreset.RESNET20), "s3b2.conv1");
        assertEquals(List.of("s3b2.conv1"), free.producers());
        assertEquals(List.of("s3b2.conv1.bn", "s3b2.conv1.relu"), free.through());
        assertEquals(List.of("s3b2.conv2"), free.consumers());
        assertEquals(List.of(), free.adds());
    }

    @Test
    void aChainHasOneGroupPerConvolutionAndHiddenDenseLayer() {
        List<ChannelGroups.Group> groups = ChannelGroups.of(conf(ArchitecturePreset.TEACHER));
        assertEquals(
                List.of("conv1", "conv2", "conv3", "conv4", "dense1"),
                groups.stream().map(g -> String.join("+", g.producers())).toList());
        ChannelGroups.Group conv2 = groups.get(1);
        assertEquals(List.of("bn2", "relu2", "pool1"), conv2.through());
        assertEquals(List.of("conv3"), conv2.consumers());
    }
}
