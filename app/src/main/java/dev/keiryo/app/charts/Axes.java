package dev.keiryo.app.charts;

import dev.keiryo.app.workspace.Bytes;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.ValueAxisPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.Range;

/**
 * Axis ranges and tick labels for every line chart of the workbench, readable with no point, one
 * point or many: JFreeChart's own auto range shrinks to a sliver around a single point (or a flat
 * line), and then every tick repeats the same label in scientific notation.
 */
public final class Axes {
    /** What an axis shows, which decides its smallest span, its limits and its tick labels. */
    public enum Kind {
        /** A share in [0, 1] (accuracy, sparsity), labelled in percent, spanning at least two points. */
        PERCENT,
        /** Byte counts on a log scale, labelled 120 KB, 1.5 MB, spanning at least a factor of four. */
        BYTES,
        /** Whole numbers (epochs, bits), labelled as integers, half a unit beyond the data. */
        INTEGER,
        /** Anything else (loss, samples per second, milliseconds), spanning at least a tenth of its value. */
        PLAIN
    }

    private static final double PERCENT_MIN_SPAN = 0.02;
    private static final double BYTES_MIN_DECADES = Math.log10(4);
    private static final double MARGIN = 0.06;

    private Axes() {}

    /**
     * Replaces both axes of an XY chart (keeping their labels) by axes of these kinds;
     * {@code roomRight} is an extra share of the span to the right, for item labels beside points.
     */
    public static void apply(JFreeChart chart, Kind x, Kind y, double roomRight) {
        XYPlot p = chart.getXYPlot();
        p.setDomainAxis(axis(x, p.getDomainAxis().getLabel(), roomRight));
        p.setRangeAxis(axis(y, p.getRangeAxis().getLabel(), 0));
    }

    public static void apply(JFreeChart chart, Kind x, Kind y) {
        apply(chart, x, y, 0);
    }

    /** An axis of this kind; {@code roomRight} as in {@link #apply(JFreeChart, Kind, Kind, double)}. */
    public static ValueAxis axis(Kind kind, String label, double roomRight) {
        if (kind == Kind.BYTES) {
            LogAxis a = new Log(label, roomRight);
            a.setSmallestValue(1);
            a.setNumberFormatOverride(BYTES_FORMAT);
            return a;
        }
        NumberAxis a = new Linear(label, kind, roomRight);
        if (kind == Kind.PERCENT) {
            a.setStandardTickUnits(percentUnits());
        } else if (kind == Kind.INTEGER) {
            a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        return a;
    }

    /**
     * The range to show for data from {@code lo} to {@code hi} (NaN when there is none); for
     * {@link Kind#BYTES} in bytes, not in decades.
     */
    public static Range range(Kind kind, double lo, double hi, double roomRight) {
        boolean none = !(lo <= hi) || Double.isNaN(lo);
        switch (kind) {
            case PERCENT -> {
                if (none) {
                    return new Range(0, 1);
                }
                double[] r = atLeast(lo, hi, PERCENT_MIN_SPAN);
                // Keep the span inside [0, 1] so that ticks never read 101% or -1%.
                double shift = Math.max(0, -r[0]) - Math.max(0, r[1] - 1);
                return pad(r[0] + shift, r[1] + shift, roomRight);
            }
            case BYTES -> {
                if (none || hi <= 0) {
                    return new Range(1e3, 1e6);
                }
                double[] r = atLeast(Math.log10(Math.max(1, lo)), Math.log10(hi), BYTES_MIN_DECADES);
                Range d = pad(r[0], r[1], roomRight);
                return new Range(Math.pow(10, d.getLowerBound()), Math.pow(10, d.getUpperBound()));
            }
            case INTEGER -> {
                if (none) {
                    return new Range(0, 1);
                }
                double span = hi - lo;
                double m = Math.max(0.5, span * MARGIN);
                return new Range(lo - m, hi + m + span * roomRight);
            }
            default -> {
                if (none) {
                    return new Range(0, 1);
                }
                double minSpan = Math.max(0.1 * Math.max(Math.abs(lo), Math.abs(hi)), 1e-6);
                double[] r = atLeast(lo, hi, minSpan);
                return pad(r[0], r[1], roomRight);
            }
        }
    }

    private static double[] atLeast(double lo, double hi, double span) {
        if (hi - lo >= span) {
            return new double[] {lo, hi};
        }
        double mid = (lo + hi) / 2;
        return new double[] {mid - span / 2, mid + span / 2};
    }

    private static Range pad(double lo, double hi, double roomRight) {
        double span = hi - lo;
        return new Range(lo - MARGIN * span, hi + (MARGIN + roomRight) * span);
    }

    private static TickUnits percentUnits() {
        DecimalFormatSymbols root = DecimalFormatSymbols.getInstance(Locale.ROOT);
        DecimalFormat whole = new DecimalFormat("0%", root);
        DecimalFormat tenth = new DecimalFormat("0.0%", root);
        DecimalFormat hundredth = new DecimalFormat("0.00%", root);
        TickUnits u = new TickUnits();
        u.add(new NumberTickUnit(0.0005, hundredth));
        u.add(new NumberTickUnit(0.001, tenth));
        u.add(new NumberTickUnit(0.002, tenth));
        u.add(new NumberTickUnit(0.0025, hundredth));
        u.add(new NumberTickUnit(0.005, tenth));
        u.add(new NumberTickUnit(0.01, whole));
        u.add(new NumberTickUnit(0.02, whole));
        u.add(new NumberTickUnit(0.025, tenth));
        u.add(new NumberTickUnit(0.05, whole));
        u.add(new NumberTickUnit(0.1, whole));
        u.add(new NumberTickUnit(0.2, whole));
        u.add(new NumberTickUnit(0.25, whole));
        u.add(new NumberTickUnit(0.5, whole));
        return u;
    }

    private static Range dataRange(ValueAxis axis) {
        Plot p = axis.getPlot();
        return p instanceof ValueAxisPlot v ? v.getDataRange(axis) : null;
    }

    private static double lower(Range r) {
        return r == null ? Double.NaN : r.getLowerBound();
    }

    private static double upper(Range r) {
        return r == null ? Double.NaN : r.getUpperBound();
    }

    /** A linear axis whose auto range is {@link #range}. */
    private static final class Linear extends NumberAxis {
        private static final long serialVersionUID = 1L;
        private final Kind kind;
        private final double roomRight;

        Linear(String label, Kind kind, double roomRight) {
            super(label);
            this.kind = kind;
            this.roomRight = roomRight;
        }

        @Override
        protected void autoAdjustRange() {
            Range d = dataRange(this);
            setRange(range(kind, lower(d), upper(d), roomRight), false, false);
        }
    }

    /** A log axis of bytes whose auto range is {@link #range}. */
    private static final class Log extends LogAxis {
        private static final long serialVersionUID = 1L;
        private final double roomRight;

        Log(String label, double roomRight) {
            super(label);
            this.roomRight = roomRight;
        }

        @Override
        protected void autoAdjustRange() {
            Range d = dataRange(this);
            setRange(range(Kind.BYTES, lower(d), upper(d), roomRight), false, false);
        }
    }

    private static final NumberFormat BYTES_FORMAT = new NumberFormat() {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double v, StringBuffer sb, FieldPosition p) {
            return sb.append(Bytes.human(Math.round(v)));
        }

        @Override
        public StringBuffer format(long v, StringBuffer sb, FieldPosition p) {
            return sb.append(Bytes.human(v));
        }

        @Override
        public Number parse(String s, ParsePosition p) {
            return null;
        }
    };
}
