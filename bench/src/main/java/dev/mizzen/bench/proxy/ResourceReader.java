package dev.mizzen.bench.proxy;

import com.google.protobuf.ByteString;

/** Reads a resource's name and references and checks it as one kind of client would. Pure and thread-safe. */
public interface ResourceReader {
    ResourceInfo read(String typeUrl, ByteString body);
}
