// LogSource: raw reads with read(2), decompression with zlib's inflate (gzip, concatenated members too) and
// libzstd's streaming API (multiple frames too). The compression is sniffed from the magic bytes.
#include "collector/log_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <limits>
#include <vector>

#include <fmt/format.h>

namespace pgadvisor::collector {

struct LogSource::Impl {
  int fd = -1;
  bool owns_fd = false;
  std::vector<char> in;  //!< compressed input buffer
  size_t in_pos = 0;
  size_t in_len = 0;
  bool in_eof = false;
  z_stream z{};
  bool z_init = false;
  bool z_member_done = false;
  ZSTD_DCtx* zstd = nullptr;
  bool zstd_in_frame = false;  //!< the last ZSTD_decompressStream left a frame unfinished
  bool output_full = false;    //!< the last decompression call filled its output: it may hold more
  bool trailing = false;       //!< data after the last gzip member, ignored

  Impl() = default;
  Impl(const Impl&) = delete;  // owns the descriptor and the decompression states
  Impl& operator=(const Impl&) = delete;
  Impl(Impl&&) = delete;
  Impl& operator=(Impl&&) = delete;
  ~Impl() {
    if (z_init) inflateEnd(&z);
    if (zstd != nullptr) ZSTD_freeDCtx(zstd);
    if (owns_fd && fd >= 0) ::close(fd);
  }

  //! Raw bytes from the file descriptor, retrying on EINTR.
  size_t raw_read(char* out, size_t capacity, const std::string& path) const {
    for (;;) {
      ssize_t n = ::read(fd, out, capacity);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno == EINTR) continue;
      throw LogSourceError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    }
  }

  //! Makes compressed input available; false at the end of the file.
  bool fill(const std::string& path) {
    if (in_pos < in_len) return true;
    if (in_eof) return false;
    in_len = raw_read(in.data(), in.size(), path);
    in_pos = 0;
    if (in_len == 0) in_eof = true;
    return in_len > 0;
  }
};

LogSource::LogSource(std::string path, std::unique_ptr<Impl> impl) : path_(std::move(path)), impl_(std::move(impl)) {}
LogSource::LogSource(LogSource&&) noexcept = default;
LogSource& LogSource::operator=(LogSource&&) noexcept = default;
LogSource::~LogSource() = default;

LogSource LogSource::open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  if (path == "-") {
    impl->fd = STDIN_FILENO;
  } else {
    impl->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (impl->fd < 0) throw LogSourceError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
    impl->owns_fd = true;
  }
  LogSource source(path, std::move(impl));
  Impl& s = *source.impl_;
  struct stat st {};
  if (fstat(s.fd, &st) == 0 && S_ISREG(st.st_mode)) {
    source.identity_ = {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                        static_cast<uint64_t>(st.st_size)};
  } else if (path != "-" && S_ISDIR(st.st_mode)) {
    throw LogSourceError(fmt::format("{}: cannot read: is a directory", path));
  }
  s.in.resize(size_t{1} << 20);
  // Sniff the first bytes (kept in the input buffer, so stdin works too).
  while (s.in_len < 4 && !s.in_eof) {
    size_t n = s.raw_read(s.in.data() + s.in_len, s.in.size() - s.in_len, path);
    if (n == 0) s.in_eof = true;
    s.in_len += n;
  }
  const auto* b = reinterpret_cast<const unsigned char*>(s.in.data());
  if (s.in_len >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
    source.compression_ = Compression::Gzip;
    if (inflateInit2(&s.z, 15 + 32) != Z_OK) throw LogSourceError(path + ": cannot start gzip decompression");
    s.z_init = true;
  } else if (s.in_len >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) {
    source.compression_ = Compression::Zstd;
    s.zstd = ZSTD_createDCtx();
  }
  return source;
}

size_t LogSource::read(char* out, size_t capacity) {
  Impl& s = *impl_;
  size_t produced = 0;
  switch (compression_) {
    case Compression::None: {
      if (s.in_pos < s.in_len) {  // the sniffed bytes first
        produced = std::min(capacity, s.in_len - s.in_pos);
        std::memcpy(out, s.in.data() + s.in_pos, produced);
        s.in_pos += produced;
      } else {
        produced = s.raw_read(out, capacity, path_);
      }
      break;
    }
    case Compression::Gzip: {
      // A call that filled `out` may leave output inside the decompressor with all input read: call once more
      // then, even at the end of the file (the same for zstd below).
      for (;;) {
        const bool more = !s.trailing && s.fill(path_);
        if (!more && !s.output_full) break;
        if (s.z_member_done) {
          // Another gzip member follows (concatenated .gz files), or data that is none: zero padding, garbage.
          // gzip(1) ignores the latter with a warning; so does this (trailing_data()).
          if (s.in[s.in_pos] != '\x1f') {
            s.trailing = true;
            break;
          }
          inflateReset(&s.z);
          s.z_member_done = false;
        }
        s.z.next_in = reinterpret_cast<Bytef*>(s.in.data() + s.in_pos);
        s.z.avail_in = static_cast<uInt>(s.in_len - s.in_pos);
        s.z.next_out = reinterpret_cast<Bytef*>(out);
        s.z.avail_out = static_cast<uInt>(capacity);
        int rc = inflate(&s.z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
          throw LogSourceError(fmt::format("{}: corrupt gzip data at compressed byte {}", path_, s.z.total_in));
        }
        s.in_pos = s.in_len - s.z.avail_in;
        produced = capacity - s.z.avail_out;
        s.output_full = s.z.avail_out == 0 && rc != Z_STREAM_END;
        if (rc == Z_STREAM_END) s.z_member_done = true;
        if (produced > 0 || !more) break;
      }
      break;
    }
    case Compression::Zstd: {
      for (;;) {
        const bool more = s.fill(path_);
        if (!more && !s.output_full) break;
        ZSTD_inBuffer in{s.in.data(), s.in_len, s.in_pos};
        ZSTD_outBuffer o{out, capacity, 0};
        size_t rc = ZSTD_decompressStream(s.zstd, &o, &in);
        if (ZSTD_isError(rc)) {
          throw LogSourceError(fmt::format("{}: corrupt zstd data: {}", path_, ZSTD_getErrorName(rc)));
        }
        // 0: a frame ended, all of it flushed (a call with nothing to do would ask for the next frame's header).
        if (in.pos != s.in_pos || o.pos > 0) s.zstd_in_frame = rc != 0;
        s.in_pos = in.pos;
        produced = o.pos;
        s.output_full = o.pos == o.size && rc != 0;
        if (produced > 0 || !more) break;
      }
      break;
    }
  }
  offset_ += produced;
  return produced;
}

int64_t LogSource::seconds_since_modified() const {
  struct stat st {};
  if (fstat(impl_->fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(std::time(nullptr)) - static_cast<int64_t>(st.st_mtime);
}

bool LogSource::trailing_data() const { return impl_->trailing; }

bool LogSource::truncated() const {
  switch (compression_) {
    case Compression::Gzip:
      return !impl_->z_member_done && impl_->z.total_in > 0;
    case Compression::Zstd:
      return impl_->zstd_in_frame;
    default:
      return false;
  }
}

std::string LogSource::head(size_t n) {
  std::string out(n, '\0');
  size_t filled = 0;
  try {
    while (filled < n) {
      const size_t got = read(out.data() + filled, n - filled);
      if (got == 0) break;
      filled += got;
    }
  } catch (const LogSourceError&) {  // NOLINT(bugprone-empty-catch): the read proper reports it, at its offset
  }
  out.resize(filled);
  rewind();
  return out;
}

void LogSource::rewind() {
  Impl& s = *impl_;
  if (::lseek(s.fd, 0, SEEK_SET) < 0) {
    throw LogSourceError(fmt::format("{}: cannot read it again from the start: {}", path_, std::strerror(errno)));
  }
  s.in_pos = s.in_len = 0;
  s.in_eof = false;
  s.z_member_done = s.output_full = s.trailing = s.zstd_in_frame = false;
  if (s.z_init) inflateReset(&s.z);
  if (s.zstd != nullptr) ZSTD_DCtx_reset(s.zstd, ZSTD_reset_session_only);
  offset_ = 0;
}

void LogSource::skip_to(uint64_t offset) {
  if (offset <= offset_) return;
  Impl& s = *impl_;
  if (compression_ == Compression::None && !is_stdin() && s.in_pos >= s.in_len) {
    if (::lseek(s.fd, static_cast<off_t>(offset), SEEK_SET) >= 0) {
      offset_ = offset;
      return;
    }
  }
  std::vector<char> scratch(size_t{1} << 20);
  while (offset_ < offset) {
    auto want = static_cast<size_t>(std::min<uint64_t>(scratch.size(), offset - offset_));
    if (read(scratch.data(), want) == 0) break;
  }
}

}  // namespace pgadvisor::collector
