-- How a filter names where a problem is, and how it stops the render: one place for the page's
-- file name, a cell's name and a cell's file name (which the page config carries to every runner).
local M = {}

local source_name = nil  -- set from `page-source` metadata (render_site.py)

function M.set_source(name)
  source_name = name
end

function M.input_file_name()
  if source_name then return source_name end
  if quarto and quarto.doc and quarto.doc.input_file then
    local file, root = quarto.doc.input_file, quarto.project and quarto.project.directory
    if root and file:sub(1, #root + 1) == root .. "/" then return file:sub(#root + 2) end
    return file
  end
  local files = PANDOC_STATE and PANDOC_STATE.input_files or {}
  return files[1] or "<stdin>"
end

-- Stop the render with a message from `filter` that names the file and what is wrong.
-- Inside Quarto the global `error` only logs, so the filter ends pandoc itself.
function M.stop(filter, message)
  io.stderr:write(("%s: %s: %s\n"):format(filter, M.input_file_name(), message))
  os.exit(1)
end

-- pycells' own: the message names the file, the cell (`where`) and the option.
function M.fail(where, message)
  M.stop("pycells", ("%s: %s"):format(where, message))
end

-- A note on the render's output that does not stop it.
function M.note(message)
  io.stderr:write(("pycells: %s: %s\n"):format(M.input_file_name(), message))
end

-- How every runner names a cell: in messages and labels ('cell 3 "divide"'), and as the file of
-- its code in tracebacks ("<cell 3>"). Both go into the page config; nothing else makes them.
function M.cell_name(index, label)
  if label then return ('cell %d "%s"'):format(index, label) end
  return ("cell %d"):format(index)
end

function M.cell_file(index)
  return ("<cell %d>"):format(index)
end

return M
