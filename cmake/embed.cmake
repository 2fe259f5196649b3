# Turns text files into a C++ source of std::string_view constants.
# Called at build time: cmake -DOUTPUT=... -DNAMES=a;b -DFILES=x;y -P embed.cmake
set(content "// Generated from the files named below; edit those, not this.\n#include <string_view>\n\nnamespace rencontres::embedded {\n")
list(LENGTH FILES count)
math(EXPR last "${count} - 1")
foreach(i RANGE ${last})
  list(GET FILES ${i} file)
  list(GET NAMES ${i} name)
  file(READ "${file}" text)
  string(APPEND content "// ${file}\nextern const std::string_view ${name};\nconst std::string_view ${name} = R\"rencontres_embed(${text})rencontres_embed\";\n")
endforeach()
string(APPEND content "} // namespace rencontres::embedded\n")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
