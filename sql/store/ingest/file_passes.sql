SELECT database, user_name, application, since, until, offset, lines FROM log_file_passes WHERE file = :file
