package io.switchboard.web;

import io.switchboard.knowledge.KnowledgeBases;
import io.switchboard.knowledge.KnowledgeDocument;
import io.switchboard.refusal.Refusal;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Knowledge bases in the admin UI: create a base, upload documents and add Q&amp;A pairs, and watch each document's
 * indexing progress (the table refreshes itself every second while something is being indexed).
 */
@Controller
@RequestMapping("/admin/knowledge")
class AdminKnowledgeController {

    private final KnowledgeBases bases;

    AdminKnowledgeController(KnowledgeBases bases) {
        this.bases = bases;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("bases", bases.list());
        return "admin/knowledge";
    }

    @PostMapping
    String create(@RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String description,
                  RedirectAttributes redirect) {
        try {
            return "redirect:/admin/knowledge/" + bases.create(name, description).id();
        } catch (Refusal refused) {
            redirect.addFlashAttribute("problem", refused.getMessage());
            return "redirect:/admin/knowledge";
        }
    }

    @GetMapping("/{id}")
    String show(@PathVariable UUID id, Model model) {
        model.addAttribute("base", bases.find(id));
        documents(id, model);
        return "admin/knowledge-base";
    }

    /** The documents table alone, for the page's self-refresh. */
    @GetMapping("/{id}/documents")
    String documentsFragment(@PathVariable UUID id, Model model) {
        model.addAttribute("base", bases.find(id));
        documents(id, model);
        return "admin/knowledge-base :: documents";
    }

    @PostMapping("/{id}/documents")
    String upload(@PathVariable UUID id, @RequestParam("file") MultipartFile file, RedirectAttributes redirect) throws IOException {
        try {
            bases.upload(id, file.getOriginalFilename(), file.getContentType(), file.getBytes(), null);
            redirect.addFlashAttribute("notice", "admin.knowledge.uploaded");
        } catch (Refusal refused) {
            redirect.addFlashAttribute("problem", refused.getMessage());
        }
        return "redirect:/admin/knowledge/" + id;
    }

    @PostMapping("/{id}/qa_pairs")
    String addQa(@PathVariable UUID id, @RequestParam(defaultValue = "") String question, @RequestParam(defaultValue = "") String answer,
                 RedirectAttributes redirect) {
        try {
            bases.addQa(id, question, answer, null);
            redirect.addFlashAttribute("notice", "admin.knowledge.qaAdded");
        } catch (Refusal refused) {
            redirect.addFlashAttribute("problem", refused.getMessage());
        }
        return "redirect:/admin/knowledge/" + id;
    }

    @PostMapping("/{id}/documents/{documentId}/delete")
    String delete(@PathVariable UUID id, @PathVariable UUID documentId) {
        bases.deleteDocument(documentId);
        return "redirect:/admin/knowledge/" + id;
    }

    private void documents(UUID id, Model model) {
        List<KnowledgeDocument> documents = bases.documents(id);
        model.addAttribute("documents", documents);
        model.addAttribute("working", documents.stream().anyMatch(d -> d.status() == KnowledgeDocument.Status.PENDING
                || d.status() == KnowledgeDocument.Status.INDEXING));
    }
}
