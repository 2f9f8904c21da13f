package io.stratus.lambda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipException;

/**
 * The Unix file modes a zip's central directory records (its entries' external attributes), which
 * {@code java.util.zip} reads past: a zip made on Unix (Info-ZIP's {@code zip}, Python's
 * {@code zipfile}, the JDK's zip file system) says there which files are executable and which
 * entries are symbolic links. Stateless.
 */
final class ZipCentralDirectory {

    static final int TYPE_MASK = 0170000;
    static final int SYMLINK = 0120000;
    static final int DIRECTORY = 0040000;

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int ENTRY_SIGNATURE = 0x02014b50;
    private static final int END_SIZE = 22;
    private static final int HOST_UNIX = 3;

    private ZipCentralDirectory() {}

    /**
     * The Unix mode of each entry that records one (file type and permission bits), by entry name
     * (the last one wins where a name repeats).
     *
     * @param zip the whole zip
     * @param maxEntries how many entries the zip may have
     * @throws ZipException when the central directory cannot be read or lists more than {@code maxEntries}
     */
    static Map<String, Integer> unixModes(ByteBuffer zip, int maxEntries) throws ZipException {
        ByteBuffer in = zip.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        try {
            int end = findEnd(in);
            long entries = Short.toUnsignedInt(in.getShort(end + 10));
            long offset = Integer.toUnsignedLong(in.getInt(end + 16));
            if ((entries == 0xFFFF || offset == 0xFFFFFFFFL) && end >= 20 && in.getInt(end - 20) == ZIP64_LOCATOR_SIGNATURE) {
                int zip64End = checkedIndex(in, in.getLong(end - 20 + 8));
                if (in.getInt(zip64End) != ZIP64_END_SIGNATURE) {
                    throw new ZipException("bad ZIP64 end of central directory");
                }
                entries = in.getLong(zip64End + 32);
                offset = in.getLong(zip64End + 48);
            }
            if (entries > maxEntries) {
                throw new ZipException("more than " + maxEntries + " entries");
            }
            Map<String, Integer> modes = new HashMap<>();
            int position = checkedIndex(in, offset);
            for (long i = 0; i < entries; i++) {
                if (in.getInt(position) != ENTRY_SIGNATURE) {
                    throw new ZipException("bad central directory entry");
                }
                int madeBy = Short.toUnsignedInt(in.getShort(position + 4));
                int nameLength = Short.toUnsignedInt(in.getShort(position + 28));
                int extraLength = Short.toUnsignedInt(in.getShort(position + 30));
                int commentLength = Short.toUnsignedInt(in.getShort(position + 32));
                int mode = in.getInt(position + 38) >>> 16;
                byte[] name = new byte[nameLength];
                in.get(position + 46, name);
                if (madeBy >>> 8 == HOST_UNIX && mode != 0) {
                    // As ZipInputStream names entries: UTF-8.
                    modes.put(new String(name, StandardCharsets.UTF_8), mode);
                }
                position = Math.addExact(position, 46 + nameLength + extraLength + commentLength);
            }
            return modes;
        } catch (IndexOutOfBoundsException | ArithmeticException e) {
            throw new ZipException("truncated central directory");
        }
    }

    /** The end of central directory record, searched back from the end past a comment of up to 64 KB. */
    private static int findEnd(ByteBuffer in) throws ZipException {
        int last = in.limit() - END_SIZE;
        for (int position = last; position >= 0 && position >= last - 0xFFFF; position--) {
            if (in.getInt(position) == END_SIGNATURE) {
                return position;
            }
        }
        throw new ZipException("no end of central directory");
    }

    private static int checkedIndex(ByteBuffer in, long offset) throws ZipException {
        if (offset < 0 || offset >= in.limit()) {
            throw new ZipException("central directory offset out of range");
        }
        return (int) offset;
    }
}
