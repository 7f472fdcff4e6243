-- Where a page sits in its site, URLs relative to it, and the files it loads: for pycells and for
-- the filters built on it (the course's), under Quarto and under plain pandoc alike.
local M = {}

-- The path from the page to the site root ("." or "..", "../.."), as Quarto or render_site.py gives it.
function M.site_offset(meta)
  if quarto and quarto.project and quarto.project.offset then
    local offset = quarto.project.offset
    if type(offset) == "function" then offset = offset() end
    if offset then return offset end
  end
  local given = meta["page-offset"]
  return given and pandoc.utils.stringify(given) or "."
end

-- The project folder: Quarto's, or the one tools/render_site.py names (`project-root`).
function M.project_folder(meta)
  if quarto and quarto.project and quarto.project.directory then return quarto.project.directory end
  local given = meta["project-root"]
  return given and pandoc.utils.stringify(given) or "."
end

-- A site path ("/assets/x.whl": from the site root) or a full URL, as a URL for this page; or nil
-- and what is wrong with it.
function M.page_url(value, offset)
  if value:match("^%a[%w+.-]*:") or value:match("^//") then return value end
  if not value:match("^/") then
    return nil, ("'%s' must start at the site root with '/' (write '/%s'), or be a full URL"):format(value, value)
  end
  if offset == "." or offset == "" then return value:sub(2) end
  return offset .. value
end

-- Load a filter's scripts and stylesheets (files beside it) in the page: through Quarto's
-- dependencies, or, under plain pandoc, as tags to site_libs/NAME/, where render_site.py copies them.
-- dependency: {name, version, scripts, stylesheets, resources (Quarto only: {name, path})}
function M.add_dependency(meta, offset, dependency)
  if quarto and quarto.doc and quarto.doc.add_html_dependency then
    quarto.doc.add_html_dependency(dependency)
    return meta
  end
  local base = (offset == "." and "" or offset .. "/") .. "site_libs/" .. dependency.name .. "/"
  local includes = meta["header-includes"]
  if includes == nil then
    includes = pandoc.List()
  elseif pandoc.utils.type(includes) ~= "List" then
    includes = pandoc.List({ includes })
  end
  for _, stylesheet in ipairs(dependency.stylesheets or {}) do
    includes:insert(pandoc.RawBlock("html", ('<link rel="stylesheet" href="%s%s">'):format(base, stylesheet)))
  end
  for _, script in ipairs(dependency.scripts or {}) do
    includes:insert(pandoc.RawBlock("html", ('<script defer src="%s%s"></script>'):format(base, script)))
  end
  meta["header-includes"] = includes
  return meta
end

return M
