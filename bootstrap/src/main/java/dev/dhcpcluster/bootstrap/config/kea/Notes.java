package dev.dhcpcluster.bootstrap.config.kea;

import java.util.ArrayList;
import java.util.List;

/** The notes one import collects, in the order the converter found them. */
final class Notes {

    private final List<KeaNote> list = new ArrayList<>();

    void notConverted(String path, String reason) {
        list.add(new KeaNote(path, KeaNote.Kind.NOT_CONVERTED, reason));
    }

    void changed(String path, String reason) {
        list.add(new KeaNote(path, KeaNote.Kind.CHANGED, reason));
    }

    void note(String path, String message) {
        list.add(new KeaNote(path, KeaNote.Kind.NOTE, message));
    }

    void addAll(List<KeaNote> notes) {
        list.addAll(notes);
    }

    List<KeaNote> list() {
        return List.copyOf(list);
    }
}
