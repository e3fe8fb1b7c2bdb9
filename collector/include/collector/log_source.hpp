// A log file's bytes, decompressed: plain files, gzip (zlib), zstd (libzstd) and stdin, chosen by the first
// bytes rather than the name. Reads fill a caller's buffer; offsets count decompressed bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

namespace pgadvisor::collector {

//! A log file cannot be opened or read; the message names it.
class LogSourceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

//! What identifies a file across runs (a grown file keeps its device and inode; a rotated one does not).
struct FileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t size = 0;  //!< bytes on disk (compressed size for .gz/.zst)
};

enum class Compression : uint8_t { None, Gzip, Zstd };

class LogSource {
 public:
  //! Opens `path` ("-" is stdin). Throws LogSourceError naming the file.
  static LogSource open(const std::string& path);

  LogSource(const LogSource&) = delete;  // owns the file descriptor and the decompressor
  LogSource& operator=(const LogSource&) = delete;
  LogSource(LogSource&& other) noexcept;
  LogSource& operator=(LogSource&& other) noexcept;
  ~LogSource();

  //! Up to `capacity` decompressed bytes into `out`; 0 at the end. Throws LogSourceError on corrupt input.
  size_t read(char* out, size_t capacity);
  //! Moves to decompressed offset `offset` (a seek for plain files, reading and dropping for others).
  void skip_to(uint64_t offset);
  //! The first `n` decompressed bytes (fewer when the file is shorter, or its compressed stream ends early or is
  //! corrupt), read before anything else; the source then reads from the start again. Not for stdin.
  std::string head(size_t n);

  const std::string& path() const { return path_; }
  bool is_stdin() const { return path_ == "-"; }
  Compression compression() const { return compression_; }
  const FileIdentity& identity() const { return identity_; }
  uint64_t offset() const { return offset_; }  //!< decompressed bytes read so far
  //! Seconds since the file was last modified, now (a large number for stdin and other streams).
  int64_t seconds_since_modified() const;
  //! After read() returned 0: the compressed input ended inside a gzip member or zstd frame (a truncated file, or
  //! one still being written).
  bool truncated() const;
  //! Data that is no gzip member followed the last one (zero padding, garbage) and was ignored, as gzip(1) does.
  bool trailing_data() const;

 private:
  struct Impl;
  LogSource(std::string path, std::unique_ptr<Impl> impl);
  void rewind();
  std::string path_;
  std::unique_ptr<Impl> impl_;
  Compression compression_ = Compression::None;
  FileIdentity identity_;
  uint64_t offset_ = 0;
};

}  // namespace pgadvisor::collector
