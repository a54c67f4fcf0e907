package dev.keiryo.app.distill;

import java.util.List;
import javafx.collections.ObservableList;

/**
 * Keeps a combo box's items equal to a list by removing and inserting only what differs. A combo
 * box whose items are replaced wholesale drops its value; the values it pushes back meanwhile are
 * to be ignored ({@link #updating()}), and callers set the value they mean afterwards.
 */
final class ChoiceLists {
    private boolean updating;

    /** True while a list is being brought in line: a value change now comes from its combo box. */
    boolean updating() {
        return updating;
    }

    <T> void sync(ObservableList<T> target, List<T> items) {
        updating = true;
        try {
            target.removeIf(t -> !items.contains(t));
            for (int i = 0; i < items.size(); i++) {
                if (i >= target.size() || !target.get(i).equals(items.get(i))) {
                    target.add(i, items.get(i));
                }
            }
            if (target.size() > items.size()) {
                target.remove(items.size(), target.size());
            }
        } finally {
            updating = false;
        }
    }
}
