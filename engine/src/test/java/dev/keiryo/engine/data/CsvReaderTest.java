package dev.keiryo.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        return Files.writeString(dir.resolve("data.csv"), text);
    }

    private void assertFails(Path file, LabelColumn label, String... phrases) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(file, label));
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), () -> "should name the file: " + m);
        for (String phrase : phrases) {
            assertTrue(m.contains(phrase), () -> "should say '" + phrase + "': " + m);
        }
    }

    @Test
    void headerAndLabelByName() throws IOException {
        Dataset d = CsvReader.read(csv("x1,label,x2\n1.5,2,3\n4,0,-6e1\n"), LabelColumn.of("label"));
        assertEquals(2, d.size());
        assertEquals(2, d.featureCount());
        assertArrayEquals(new float[] {1.5f, 3, 4, -60}, d.features());
        assertArrayEquals(new int[] {2, 0}, d.labels());
        assertEquals(3, d.numClasses());
        assertTrue(d.classNames().isEmpty());
        assertEquals(List.of(1, 1, 2), List.of(d.channels(), d.height(), d.width()));
        assertEquals("data", d.name());
    }

    @Test
    void noHeaderLabelByIndexWithStringLabels() throws IOException {
        Dataset d =
                CsvReader.read(csv("5.1,3.5,setosa\n6.2,2.9,virginica\n5.9,3.0,versicolor\n"), LabelColumn.index(2));
        assertEquals(3, d.size());
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertArrayEquals(new int[] {0, 2, 1}, d.labels());
    }

    @Test
    void negativeIndexCountsFromTheEnd() throws IOException {
        Dataset d = CsvReader.read(csv("1,2,1\n3,4,0\n"), LabelColumn.LAST);
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.features());
        assertArrayEquals(new int[] {1, 0}, d.labels());
    }

    @Test
    void labelByIndexWithHeader() throws IOException {
        Dataset d = CsvReader.read(csv("y,a,b\n1,2,3\n0,4,5\n"), LabelColumn.of("0"));
        assertArrayEquals(new float[] {2, 3, 4, 5}, d.features());
        assertArrayEquals(new int[] {1, 0}, d.labels());
    }

    @Test
    void semicolonAndTabDelimiters() throws IOException {
        Dataset s = CsvReader.read(csv("a;b;label\n1;2;cat\n3;4;dog\n"), LabelColumn.of("label"));
        assertArrayEquals(new float[] {1, 2, 3, 4}, s.features());
        Dataset t = CsvReader.read(csv("a\tb\tlabel\n1\t2\t0\n"), LabelColumn.of("label"));
        assertArrayEquals(new float[] {1, 2}, t.features());
    }

    @Test
    void quotedHeaderAndBlankLines() throws IOException {
        Dataset d = CsvReader.read(csv("\uFEFF\"a, first\",\"label\"\n\n1,0\n\n2,1\n"), LabelColumn.of("label"));
        assertEquals(2, d.size());
    }

    @Test
    void numericNonIndexLabelsSortByValue() throws IOException {
        Dataset d = CsvReader.read(csv("1,-1\n2,1\n3,-1\n"), LabelColumn.LAST);
        assertEquals(List.of("-1", "1"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 0}, d.labels());
    }

    @Test
    void testFileUsesTrainingClasses() throws IOException {
        Path train = Files.writeString(dir.resolve("train.csv"), "a,label\n1,dog\n2,cat\n3,emu\n");
        Path test = Files.writeString(dir.resolve("test.csv"), "a,label\n1,emu\n");
        Dataset tr = CsvReader.read(train, LabelColumn.of("label"));
        Dataset te = CsvReader.read(test, LabelColumn.of("label"), tr);
        assertEquals(3, te.numClasses());
        assertArrayEquals(new int[] {2}, te.labels());
        Path bad = Files.writeString(dir.resolve("bad.csv"), "a,label\n1,yak\n");
        DataFormatException e =
                assertThrows(DataFormatException.class, () -> CsvReader.read(bad, LabelColumn.of("label"), tr));
        assertTrue(e.getMessage().contains("'yak'"), e.getMessage());
    }

    @Test
    void raggedRow() throws IOException {
        StringBuilder text = new StringBuilder("a,b,c,d,e,label\n");
        for (int i = 2; i < 17; i++) {
            text.append("1,2,3,4,5,0\n");
        }
        text.append("1,2,3,4,0\n");
        assertFails(csv(text.toString()), LabelColumn.LAST, "line 17 has 5 fields, expected 6");
    }

    @Test
    void nonNumericValue() throws IOException {
        assertFails(csv("a,b,label\n1,2,0\n3,abc,1\n"), LabelColumn.LAST, "line 3", "'b'", "'abc'");
    }

    @Test
    void nanAndInfinity() throws IOException {
        assertFails(csv("a,b,label\n1,NaN,0\n"), LabelColumn.LAST, "line 2", "'b'", "NaN", "finite");
        assertFails(csv("a,b,label\n1,2,0\n-Infinity,2,0\n"), LabelColumn.LAST, "line 3", "'a'", "finite");
    }

    @Test
    void missingLabelColumnListsColumns() throws IOException {
        assertFails(csv("a,b,label\n1,2,0\n"), LabelColumn.of("species"), "'species'", "a, b, label");
        assertFails(csv("a,b,label\n1,2,0\n"), LabelColumn.of("5"), "out of range");
    }

    @Test
    void labelNameWithoutHeader() throws IOException {
        assertFails(csv("1,2,0\n"), LabelColumn.of("label"), "no header");
    }

    @Test
    void emptyFileAndHeaderOnly() throws IOException {
        assertFails(csv(""), LabelColumn.LAST, "empty");
        assertFails(csv("\n  \n"), LabelColumn.LAST, "empty");
        assertFails(csv("a,b,label\n"), LabelColumn.LAST, "no data rows");
    }

    @Test
    void emptyLabel() throws IOException {
        assertFails(csv("a,label\n1,\n"), LabelColumn.LAST, "line 2", "empty label");
    }

    @Test
    void fractionalLabel() throws IOException {
        assertFails(csv("a,b,label\n1,2,0\n3,4,1.5\n"), LabelColumn.LAST, "line 3", "'label'", "'1.5'", "whole number");
        assertFails(csv("1,-1\n2,0.25\n"), LabelColumn.LAST, "line 2", "'0.25'");
        Dataset wholeAsDecimals = CsvReader.read(csv("1,0.0\n2,1.0\n3,-1\n"), LabelColumn.LAST);
        assertEquals(List.of("-1", "0.0", "1.0"), wholeAsDecimals.classNames(), "whole numbers stay class names");
    }

    @Test
    void missingFile() {
        Path nope = dir.resolve("nope.csv");
        assertFails(nope, LabelColumn.LAST, "not found");
    }
}
