package io.mailfleet.cluster.blobgc;

import java.util.List;

/** The blob ids an entity references: its answer to the mark phase of blob garbage collection. */
public record BlobIdList(List<String> ids) {
    public BlobIdList {
        ids = List.copyOf(ids);
    }
}
